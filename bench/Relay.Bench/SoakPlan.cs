using System.Net;

namespace Relay.Bench;

/// <summary>The shape of a soak (<see cref="SoakWorkload"/>): its traffic, its timeline and the nodes it samples.</summary>
/// <param name="Clients">Long-lived clients that chat one-to-one with receipts, failing over between the nodes.</param>
/// <param name="Rate">Their messages per second, all together.</param>
/// <param name="Duration">From the first message to the end of traffic, pauses for sampling included.</param>
/// <param name="Warmup">Traffic before the first sample, and before a restarted node's own first sample.</param>
/// <param name="Settle">Quiet time between traffic stopping (every receipt in) and a sample.</param>
/// <param name="RestartAt">When to ask for a node restart (from the start), or null for none.</param>
/// <param name="ChurnRate">Short-lived clients started per second (<see cref="ChurnCycle"/>).</param>
/// <param name="Rooms">Rooms with long-lived members in lockstep rounds (<see cref="RoomGroup"/>).</param>
/// <param name="RoomMembers">Members of each.</param>
/// <param name="RoundInterval">A round per room this often.</param>
/// <param name="Pids">The nodes' process ids, in the order of <see cref="BenchOptions.Nodes"/>.</param>
/// <param name="Dashboards">Their dashboard endpoints (for <c>/metrics</c>), in the same order.</param>
/// <param name="ControlDirectory">Where the script answers the restart cue (<see cref="SoakWorkload.RestartedFile"/>).</param>
internal sealed record SoakPlan(
    int Clients,
    int Rate,
    TimeSpan Duration,
    TimeSpan Warmup,
    TimeSpan Settle,
    TimeSpan? RestartAt,
    double ChurnRate,
    int Rooms,
    int RoomMembers,
    TimeSpan RoundInterval,
    IReadOnlyList<int> Pids,
    IReadOnlyList<IPEndPoint> Dashboards,
    string ControlDirectory);
