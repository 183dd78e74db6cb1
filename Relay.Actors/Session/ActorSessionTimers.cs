using Akka.Actor;

namespace Relay.Actors.Session;

/// <summary>Session timers on an actor's <see cref="ITimerScheduler"/>: what every transport actor uses.</summary>
internal sealed class ActorSessionTimers(ITimerScheduler timers) : ISessionTimers
{
    private static readonly SessionTimerFired[] Fired = Enum.GetValues<SessionTimer>().Select(t => new SessionTimerFired(t)).ToArray();

    public void Start(SessionTimer timer, TimeSpan after) => timers.StartSingleTimer(timer, Fired[(int)timer], after);

    public void Cancel(SessionTimer timer) => timers.Cancel(timer);
}
