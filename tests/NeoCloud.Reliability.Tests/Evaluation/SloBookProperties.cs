using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NeoCloud.Reliability.Evaluation;
using NeoCloud.Reliability.Slos;

namespace NeoCloud.Reliability.Tests.Evaluation;

public sealed class SloBookProperties
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Each int is one record: how far the clock moves (sometimes back), how many events and how many good.</summary>
    private static Arbitrary<int[]> Records => Gen.Choose(0, 9_999_999).ArrayOf().ToArbitrary();

    [Property(MaxTest = 200)]
    public Property Slice_outcomes_kept_as_events_arrive_equal_those_rebuilt_from_all_the_events() =>
        Prop.ForAll(Records, Arb.From(Gen.Elements("Timeslices", "RatioTimeslices")), (records, method) =>
        {
            var slo = SloManifestReader.Parse(SampleSlos.ApiAvailability
                .Replace("budgetingMethod: Occurrences", "budgetingMethod: " + method, StringComparison.Ordinal)
                .Replace("- target: 0.999", "- target: 0.9\n      timeSliceTarget: 0.8\n      timeSliceWindow: 1m", StringComparison.Ordinal))[0];
            var book = new SloBook(TimeSpan.FromSeconds(30));
            book.Upsert(slo);
            var now = Start;
            foreach (int r in records ?? [])
            {
                now += TimeSpan.FromSeconds((r % 1000) - 200);
                int total = r / 1000 % 50;
                book.Record(slo.Name, now, Math.Min(total, r / 50_000 % 60), total);
            }

            var kept = book.Evaluate(now).Single();
            book.Upsert(slo); // same indicator and period: the events stay and every slice is recomputed from them
            var rebuilt = book.Evaluate(now).Single();

            Assert.Equal(kept.EventsInPeriod, rebuilt.EventsInPeriod);
            Assert.Equal(kept.ErrorRatio, rebuilt.ErrorRatio);
            Assert.Equal(kept.Windows, rebuilt.Windows);
        });
}
