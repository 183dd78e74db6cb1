using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster;

namespace Relay.Actors.Overview;

/// <summary>
/// The reports a <see cref="OverviewReporter"/> has received and the rates between them; it turns
/// them into the <see cref="ClusterOverview"/> it publishes. Used by that actor only.
/// </summary>
internal sealed class ClusterOverviewState(ClusterOverview overview)
{
    private readonly Dictionary<Address, Reported> _reports = new();

    public void Received(Address from, NodeReport report, DateTimeOffset at)
    {
        double? inRate = null, outRate = null;
        if (_reports.TryGetValue(from, out var previous) && at > previous.At)
        {
            var seconds = (at - previous.At).TotalSeconds;
            inRate = Math.Max(0, report.MessagesIn - previous.Report.MessagesIn) / seconds;
            outRate = Math.Max(0, report.MessagesOut - previous.Report.MessagesOut) / seconds;
        }

        _reports[from] = new Reported(report, at, inRate, outRate);
    }

    public void Publish(ClusterEvent.CurrentClusterState state, Address self, DateTimeOffset now)
    {
        foreach (var gone in _reports.Keys.Where(address => !state.Members.Any(member => member.Address == address)).ToList())
            _reports.Remove(gone);

        var nodes = state.Members
            .OrderBy(member => member.Address != self)
            .ThenBy(member => member.Address.ToString(), StringComparer.Ordinal)
            .Select(member =>
            {
                var reported = _reports.GetValueOrDefault(member.Address);
                return new NodeOverview(
                    member.Address,
                    member.Address == self,
                    state.Unreachable.Contains(member) ? "unreachable" : StatusName(member.Status),
                    reported?.Report,
                    reported?.InPerSecond,
                    reported?.OutPerSecond,
                    reported?.At);
            })
            .ToArray();
        overview.Publish(nodes);
    }

    private static string StatusName(MemberStatus status) => status switch
    {
        MemberStatus.Joining => "joining",
        MemberStatus.Up => "up",
        MemberStatus.Leaving => "leaving",
        MemberStatus.Exiting => "exiting",
        MemberStatus.Down => "down",
        MemberStatus.Removed => "removed",
        MemberStatus.WeaklyUp => "weakly-up",
        _ => status.ToString().ToLowerInvariant(),
    };

    private sealed record Reported(NodeReport Report, DateTimeOffset At, double? InPerSecond, double? OutPerSecond);
}
