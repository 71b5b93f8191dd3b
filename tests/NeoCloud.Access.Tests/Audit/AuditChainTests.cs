using NeoCloud.Access.Audit;
using NeoCloud.Kernel.Audit;

namespace NeoCloud.Access.Tests.Audit;

public sealed class AuditChainTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private static List<AuditRecord> Chain(int n)
    {
        var records = new List<AuditRecord>();
        string previous = AuditChain.Genesis;
        for (int i = 1; i <= n; i++)
        {
            var entry = new AuditEntry(T0.AddMinutes(i), Actor.Person("ana"), "node.cordon", $"node-{i}", "bad fan", "Available", "Cordoned");
            var record = AuditChain.Seal(i, entry, previous);
            records.Add(record);
            previous = record.Hash;
        }

        return records;
    }

    [Fact]
    public void An_untouched_chain_verifies()
    {
        Assert.Null(AuditChain.FirstBroken(Chain(10)));
    }

    [Fact]
    public void Editing_any_field_of_a_record_is_detected_at_that_record()
    {
        var records = Chain(10);
        records[4] = records[4] with { Reason = "nothing to see" };

        Assert.Equal(5, AuditChain.FirstBroken(records));
    }

    [Fact]
    public void Deleting_a_record_is_detected()
    {
        var records = Chain(10);
        records.RemoveAt(3);

        Assert.Equal(5, AuditChain.FirstBroken(records));
    }

    [Fact]
    public void Rehashing_an_edited_record_still_breaks_the_next_link()
    {
        var records = Chain(10);
        var edited = new AuditEntry(records[2].At, Actor.Agent("mallory"), records[2].Action, records[2].Target, records[2].Reason, records[2].Before, records[2].After);
        records[2] = AuditChain.Seal(3, edited, records[1].Hash);

        Assert.Equal(4, AuditChain.FirstBroken(records));
    }

    [Fact]
    public void Fields_cannot_be_shifted_between_columns_without_changing_the_hash()
    {
        var a = new AuditEntry(T0, Actor.Person("a"), "x", "ab", "c", null, null);
        var b = new AuditEntry(T0, Actor.Person("a"), "x", "a", "bc", null, null);

        Assert.NotEqual(AuditChain.Hash(1, a, AuditChain.Genesis), AuditChain.Hash(1, b, AuditChain.Genesis));
    }

    [Fact]
    public void Actors_print_and_parse_as_kind_and_name()
    {
        Assert.Equal("agent:claude", Actor.Agent("claude").ToString());
        Assert.Equal(Actor.Automation("remediator"), Actor.Parse("automation:remediator"));
        Assert.Equal(Actor.Person("ana"), Actor.Parse("ana"));
    }
}
