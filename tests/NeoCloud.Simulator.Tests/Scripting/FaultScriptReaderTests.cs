using NeoCloud.Kernel.Manifests;
using NeoCloud.Simulator.Faults;
using NeoCloud.Simulator.Scripting;

namespace NeoCloud.Simulator.Tests.Scripting;

public sealed class FaultScriptReaderTests
{
    [Fact]
    public void The_documented_example_script_parses_into_five_faults_at_their_offsets()
    {
        var script = FaultScriptReader.Parse("""
            apiVersion: neocloud.dev/v1
            kind: FaultScript
            metadata: { name: demo }
            spec:
              faults:
                - { at: 10m, target: euw1-dc1-r01-n01/gpu5, fault: xid, xid: 79 }
                - { at: 1h, target: euw1-dc1-su1-l01-r0, fault: switch-down }
                - { at: 2h, target: euw1-dc1-r02-pdu1, fault: pdu-down, duration: 30m }
                - { at: 3h, target: euw1-dc1-r03-n02/gpu1, fault: ecc-dbe-storm }
                - { at: 4h, target: euw1-dc1-r04-n01, fault: heartbeat-loss }
            """);

        Assert.Equal("demo", script.Name);
        Assert.Equal(
            [FaultKind.Xid, FaultKind.SwitchDown, FaultKind.PduDown, FaultKind.EccDbeStorm, FaultKind.HeartbeatLoss],
            script.Faults.Select(f => f.Request.Kind));
        Assert.Equal(TimeSpan.FromMinutes(10), script.Faults[0].At);
        Assert.Equal(79, script.Faults[0].Request.Xid);
        Assert.Equal(TimeSpan.FromMinutes(30), script.Faults[2].Request.Duration);
        Assert.Equal(9, script.Faults[3].Line);
    }

    [Theory]
    [InlineData("    - { at: 10m, target: euw1-dc1-r01-n01/gpu5, fault: explode }", 7, "Unknown fault 'explode'")]
    [InlineData("    - { at: 10m, target: euw1-dc1-r01-n01/gpu5, fault: xid }", 7, "needs an xid code")]
    [InlineData("    - { at: 10m, target: euw1-dc1-r01-n01/gpu5, fault: xid, xid: 9999 }", 7, "not an XID")]
    [InlineData("    - { at: soon, target: euw1-dc1-r01-n01/gpu5, fault: xid, xid: 79 }", 7, "not a duration")]
    [InlineData("    - { at: 1m, target: euw1-dc1-r01-n01, fault: xid, xid: 79 }", 7, "targets a GPU")]
    [InlineData("    - { at: 1m, target: euw1-dc1-r01-n01/gpu0, fault: link-down }", 7, "targets a node port")]
    [InlineData("    - { at: 1m, target: euw1-dc1-r01-n01/gpu0, fault: xid, xid: 79, colour: red }", 7, "colour: is not a known field")]
    public void A_bad_fault_is_rejected_with_its_line_number(string faultLine, int line, string message)
    {
        string yaml = "apiVersion: neocloud.dev/v1\nkind: FaultScript\nmetadata: { name: bad }\nspec:\n  faults:\n"
            + "    - { at: 1m, target: euw1-dc1-r01-n01/gpu0, fault: xid, xid: 79 }\n" + faultLine + "\n";

        var ex = Assert.Throws<FaultScriptException>(() => FaultScriptReader.Parse(yaml));

        var error = Assert.Single(ex.Errors);
        Assert.Equal(line, error.Line);
        Assert.Contains(message, error.ToString());
        Assert.Contains($"line {line}", ex.Message);
    }

    [Fact]
    public void Every_problem_of_a_bad_script_is_reported_at_once()
    {
        var ex = Assert.Throws<FaultScriptException>(() => FaultScriptReader.Parse("""
            apiVersion: neocloud.dev/v2
            kind: FaultScript
            metadata: { name: two }
            spec:
              faults:
                - { at: 1m, target: a/gpu0, fault: nope }
            """));

        Assert.Equal([1, 6], ex.Errors.Select(e => e.Line).Order());
    }

    [Fact]
    public void Broken_yaml_is_rejected_with_the_line_of_the_syntax_error()
    {
        var ex = Assert.Throws<FaultScriptException>(() => FaultScriptReader.Parse("apiVersion: neocloud.dev/v1\nkind: FaultScript\nspec: { faults: [\n  - at: 1m\n"));

        Assert.True(Assert.Single(ex.Errors).Line >= 3);
    }

    [Theory]
    [InlineData("30s", 30)]
    [InlineData("10m", 600)]
    [InlineData("1h30m", 5400)]
    [InlineData("2d", 172800)]
    [InlineData("0", 0)]
    public void Durations_read_as_go_style_spans(string text, int seconds)
    {
        Assert.True(SpecMapping.TryParseDuration(text, out var value));
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }
}
