namespace NeoCloud.Health.Detection;

/// <summary>
/// Hysteresis of one signal of one component: a finding is raised when the signal has been over its threshold for
/// <c>raiseAfter</c> rounds in a row, and the episode ends only after <c>clearAfter</c> rounds in a row under it, so a
/// spike raises nothing and a sustained excursion raises one finding, not one per round.
/// </summary>
internal struct Episode
{
    /// <summary>Ticks of the first round of the current run over the threshold (the episode's onset once raised).</summary>
    public long FirstOverTicks;

    public int Over;
    public int Under;
    public bool Active;

    /// <summary>True when nothing is under way: not raised and no run over the threshold started.</summary>
    public readonly bool Idle => !Active && Over == 0;

    /// <summary>Whether every episode of <paramref name="episodes"/> is idle (the component is quiet).</summary>
    public static bool AllIdle(ReadOnlySpan<Episode> episodes)
    {
        foreach (ref readonly var e in episodes)
        {
            if (!e.Idle)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Steps one present round; true when this round raises the episode's finding.</summary>
    public bool Step(bool over, long atTicks, int raiseAfter, int clearAfter)
    {
        if (over)
        {
            Under = 0;
            if (Over == 0)
            {
                FirstOverTicks = atTicks;
            }

            if (Over < int.MaxValue)
            {
                Over++;
            }

            if (!Active && Over >= raiseAfter)
            {
                Active = true;
                return true;
            }

            return false;
        }

        // Most rounds of most signals land here with nothing to change: no store keeps the cache lines clean.
        if (Over != 0)
        {
            Over = 0;
        }

        if (Active && ++Under >= clearAfter)
        {
            Active = false;
            Under = 0;
        }

        return false;
    }
}
