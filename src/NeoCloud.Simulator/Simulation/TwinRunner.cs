using NeoCloud.Simulator.Twin;

namespace NeoCloud.Simulator.Simulation;

/// <summary>Drives a twin tick by tick, either flat out or paced to the wall clock by a speed factor (60 = one virtual minute per wall second).</summary>
/// <param name="wallClock">Real time for pacing (TimeProvider.System in a host; a fake one in tests).</param>
public sealed class TwinRunner(FleetTwin twin, TimeProvider wallClock)
{
    /// <summary>Runs <paramref name="duration"/> of virtual time; <paramref name="speed"/> null runs as fast as possible.</summary>
    public async Task RunAsync(TimeSpan duration, double? speed, CancellationToken cancellationToken)
    {
        if (speed is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(speed), speed, "The speed factor must be positive.");
        }

        var virtualStart = twin.Now;
        var virtualEnd = virtualStart + duration;
        long wallStart = wallClock.GetTimestamp();
        while (twin.Now < virtualEnd)
        {
            cancellationToken.ThrowIfCancellationRequested();
            twin.Tick();
            if (speed is { } factor)
            {
                var due = (twin.Now - virtualStart) / factor;
                var ahead = due - wallClock.GetElapsedTime(wallStart);
                if (ahead > TimeSpan.Zero)
                {
                    await Task.Delay(ahead, wallClock, cancellationToken);
                }
            }
            else if (twin.Ticks % 64 == 0)
            {
                // Flat out still lets the host's other work (an API, scrapes) in now and then.
                await Task.Yield();
            }
        }
    }
}
