using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NeoCloud.Health.Detection;

namespace NeoCloud.Health.Tests.Detection;

public sealed class AbsenceProperties
{
    private static readonly DetectionOptions Options = new()
    {
        // Time between samples changes when absent rounds are inserted: keep bursts and heartbeats out of the comparison.
        XidBurstSilence = TimeSpan.FromDays(1),
        HeartbeatMissedRounds = 1_000,
    };

    /// <summary>0 normal, 1 thermal, 2 power brake, 3 a DBE rise, 4 a new XID, 5 a row remap pending.</summary>
    private static Gen<int[]> Script => Gen.Choose(0, 5).ArrayOf();

    [Property(MaxTest = 60)]
    public Property Rounds_in_which_a_node_did_not_answer_change_nothing_that_is_raised() =>
        Prop.ForAll(Script.ToArbitrary(), Gen.Choose(0, 3).ArrayOf().ToArbitrary(), (script, gaps) =>
        {
            var plain = Run(script, _ => 0);
            var withGaps = Run(script, r => gaps.Length == 0 ? 0 : gaps[r % gaps.Length]);
            return plain.SequenceEqual(withGaps);
        });

    private static List<string> Run(int[] script, Func<int, int> absentAfter)
    {
        var rig = new DetectionRig(Options);
        const int Gpu = 13;
        int node = 1;
        long dbe = 0;
        int xid = 0;
        rig.Round();
        var codes = new List<string>();
        for (int r = 0; r < script.Length; r++)
        {
            int kind = script[r];
            if (kind == 3)
            {
                dbe++;
            }

            if (kind == 4)
            {
                xid = xid == 13 ? 79 : 13;
            }

            codes.AddRange(rig.Round(f =>
            {
                f.Gpus[Gpu].EccDbeVolatile = dbe;
                f.Gpus[Gpu].Xid = xid;
                f.Gpus[Gpu].ClockEventReasons = kind switch { 1 => 0x40, 2 => 0x80, _ => 0 };
                f.Gpus[Gpu].RowRemapPending = kind == 5;
            }).Select(x => x.Code));
            for (int a = absentAfter(r); a > 0; a--)
            {
                // What an absent node's frame holds is stale or garbage: the engine must not look at it.
                codes.AddRange(rig.Round(f =>
                {
                    DetectionRig.Silence(f, node);
                    f.Gpus[Gpu].EccDbeVolatile = 0;
                    f.Gpus[Gpu].Xid = 94;
                    f.Gpus[Gpu].ClockEventReasons = 0xff;
                }).Select(x => x.Code));
            }
        }

        return codes;
    }
}
