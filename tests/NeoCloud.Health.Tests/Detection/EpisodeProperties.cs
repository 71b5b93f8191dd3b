using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NeoCloud.Health.Detection;

namespace NeoCloud.Health.Tests.Detection;

public sealed class EpisodeProperties
{
    private static Gen<bool[]> Signals => Gen.Elements(true, false).ArrayOf();

    [Property(MaxTest = 300)]
    public Property A_run_shorter_than_the_debounce_never_raises_and_a_long_enough_run_raises_at_most_once() =>
        Prop.ForAll(Signals.ToArbitrary(), Gen.Choose(1, 5).ToArbitrary(), Gen.Choose(1, 5).ToArbitrary(), (signal, raiseAfter, clearAfter) =>
        {
            var episode = default(Episode);
            int raised = 0;
            int runs = 0;
            int run = 0;
            for (int i = 0; i < signal.Length; i++)
            {
                bool raisedNow = episode.Step(signal[i], i, raiseAfter, clearAfter);
                run = signal[i] ? run + 1 : 0;
                if (run == raiseAfter)
                {
                    runs++;
                }

                if (raisedNow)
                {
                    raised++;
                    if (run < raiseAfter || episode.FirstOverTicks != i - run + 1)
                    {
                        return false;
                    }
                }
            }

            // Every raise needs its own long-enough run, and the first long-enough run always raises.
            return raised <= runs && (runs == 0 || raised >= 1);
        });

    [Property(MaxTest = 300)]
    public Property A_sustained_excursion_raises_exactly_once_however_long_it_lasts() =>
        Prop.ForAll(Gen.Choose(1, 500).ToArbitrary(), Gen.Choose(1, 5).ToArbitrary(), (length, raiseAfter) =>
        {
            var episode = default(Episode);
            int raised = 0;
            for (int i = 0; i < length; i++)
            {
                raised += episode.Step(true, i, raiseAfter, 4) ? 1 : 0;
            }

            return raised == (length >= raiseAfter ? 1 : 0);
        });
}
