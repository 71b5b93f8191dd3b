using NeoCloud.Fleet.Spec;
using NeoCloud.Fleet.Topology;

namespace NeoCloud.Fleet.Tests.Spec;

public sealed class FleetSpecReaderTests
{
    private const string Valid = """
        apiVersion: neocloud.dev/v1
        kind: Fleet
        metadata:
          name: small
        spec:
          regions:
            - name: euw1
              sites:
                - name: dc1
                  ownership: leased
                  operator: Equinix
                  oem: Dell
                  pods: 1
                  racksPerPod: 2
                  nodesPerRack: 4
                  skuMix:
                    - { sku: h100-sxm5-80gb, percent: 100 }
        """;

    [Fact]
    public void A_valid_file_is_read_with_its_defaults()
    {
        var spec = FleetSpecReader.Parse(Valid);

        Assert.Equal("small", spec.Name);
        var site = Assert.Single(Assert.Single(spec.Regions).Sites);
        Assert.Equal(SiteOwnership.Leased, site.Ownership);
        Assert.Equal("Equinix", site.Operator);
        Assert.Equal(2, site.PdusPerRack);
        Assert.Equal(FabricKind.InfiniBand, site.Fabric.Kind);
        Assert.Equal(8, site.Fabric.Rails);
    }

    [Fact]
    public void The_default_fleet_file_is_valid_and_has_two_regions_and_three_sites()
    {
        var spec = DefaultFleet.Spec;

        Assert.Equal(2, spec.Regions.Count);
        Assert.Equal(3, spec.Regions.Sum(r => r.Sites.Count));
    }

    [Fact]
    public void An_unknown_sku_is_reported_with_its_line_and_field()
    {
        var ex = Assert.Throws<FleetSpecException>(() => FleetSpecReader.Parse(Valid.Replace("h100-sxm5-80gb", "h999")));

        var error = Assert.Single(ex.Errors);
        Assert.Equal(17, error.Line);
        Assert.Equal("spec.regions[0].sites[0].skuMix[0].sku", error.Path);
        Assert.Contains("unknown SKU 'h999'", error.Message, StringComparison.Ordinal);
        Assert.Contains("line 17", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_misspelt_field_is_rejected_with_a_suggestion_rather_than_ignored()
    {
        var ex = Assert.Throws<FleetSpecException>(() => FleetSpecReader.Parse(Valid.Replace("nodesPerRack: 4", "nodesPerRak: 4")));

        Assert.Contains(ex.Errors, e => e.Path.EndsWith("nodesPerRak", StringComparison.Ordinal) && e.Message.Contains("did you mean 'nodesPerRack'", StringComparison.Ordinal) && e.Line == 15);
        Assert.Contains(ex.Errors, e => e.Path.EndsWith("nodesPerRack", StringComparison.Ordinal) && e.Message == "is required");
    }

    [Fact]
    public void Every_problem_in_a_file_is_listed_not_only_the_first()
    {
        string bad = Valid
            .Replace("kind: Fleet", "kind: Fleat")
            .Replace("ownership: leased", "ownership: rented")
            .Replace("racksPerPod: 2", "racksPerPod: -3")
            .Replace("percent: 100", "percent: 60");

        var ex = Assert.Throws<FleetSpecException>(() => FleetSpecReader.Parse(bad));

        Assert.Contains(ex.Errors, e => e.Path == "kind" && e.Line == 2);
        Assert.Contains(ex.Errors, e => e.Path.EndsWith("ownership", StringComparison.Ordinal) && e.Line == 10);
        Assert.Contains(ex.Errors, e => e.Path.EndsWith("racksPerPod", StringComparison.Ordinal) && e.Line == 14);
        Assert.Contains(ex.Errors, e => e.Path.EndsWith("skuMix", StringComparison.Ordinal) && e.Message.Contains("add up to 60", StringComparison.Ordinal));
    }

    [Fact]
    public void Broken_yaml_is_reported_with_the_line_it_breaks_on()
    {
        var ex = Assert.Throws<FleetSpecException>(() => FleetSpecReader.Parse(Valid.Replace("pods: 1", "pods: [1")));

        var error = Assert.Single(ex.Errors);
        Assert.Contains("not valid YAML", error.Message, StringComparison.Ordinal);
        Assert.InRange(error.Line, 13, 20);
    }

    [Fact]
    public void Duplicate_region_names_are_rejected()
    {
        string twice = Valid + """

                - name: euw1
                  sites:
                    - { name: dc9, racksPerPod: 1, nodesPerRack: 1, skuMix: [ { sku: l40s-48gb, percent: 100 } ] }
            """;

        var ex = Assert.Throws<FleetSpecException>(() => FleetSpecReader.Parse(twice));

        Assert.Contains(ex.Errors, e => e.Message.Contains("declared twice", StringComparison.Ordinal) && e.Path == "spec.regions[1].name");
    }

    [Theory]
    [InlineData("EUW1")]
    [InlineData("e")]
    [InlineData("eu-west")]
    public void Names_that_cannot_be_part_of_an_id_are_rejected(string name)
    {
        var ex = Assert.Throws<FleetSpecException>(() => FleetSpecReader.Parse(Valid.Replace("name: euw1", $"name: {name}")));

        Assert.Contains(ex.Errors, e => e.Path == "spec.regions[0].name");
    }
}
