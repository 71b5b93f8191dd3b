using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NeoCloud.Reliability.Evaluation;

namespace NeoCloud.Reliability.Tests.Evaluation;

public sealed class SliSeriesProperties
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan[] Windows = [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(17), TimeSpan.FromHours(1)];

    /// <summary>Each int is one step: a record (mostly forwards, sometimes late or far ahead) or a read, and its counts.</summary>
    private static Arbitrary<int[]> Steps => Gen.Choose(0, 999_999).ArrayOf().ToArbitrary();

    [Property(MaxTest = 300)]
    public Property Tracked_windows_read_what_scanning_every_bucket_reads() =>
        Prop.ForAll(Steps, steps =>
        {
            // Two series fed alike: one tracks the windows (O(1) reads at the head), the other never does (scans).
            var tracked = new SliSeries(Minute, TimeSpan.FromHours(1));
            var scanned = new SliSeries(Minute, TimeSpan.FromHours(1));
            foreach (var window in Windows)
            {
                tracked.Track(window);
            }

            var now = Start;
            foreach (int step in steps ?? [])
            {
                int kind = step % 10;
                int amount = step / 10 % 100;
                int good = amount / 2;
                var at = kind switch
                {
                    < 5 => now += TimeSpan.FromSeconds(step / 1000 % 120),
                    5 => now - TimeSpan.FromMinutes(step / 1000 % 90), // late: inside or beyond the retention
                    6 => now += TimeSpan.FromMinutes(step / 1000 % 200), // a jump, sometimes past every window
                    _ => now,
                };

                if (kind < 8)
                {
                    Assert.Equal(scanned.Record(at, good, amount), tracked.Record(at, good, amount));
                }
                else
                {
                    // Reads at the head and before it; a read moves the head, so the scanned one reads the same instant.
                    var readAt = kind == 8 ? now : now - TimeSpan.FromMinutes(step / 1000 % 30);
                    foreach (var window in Windows)
                    {
                        Assert.Equal(scanned.Sum(readAt, window), tracked.Sum(readAt, window));
                    }
                }
            }

            foreach (var window in Windows)
            {
                Assert.Equal(scanned.Sum(now, window), tracked.Sum(now, window));
            }
        });
}
