using Relay.Actors.Registry;

namespace Relay.Actors.Ids;

/// <summary>How an <see cref="IdPool"/> gives back its used-up blocks.</summary>
/// <param name="Incarnation">The uid of this node: leases are this incarnation's.</param>
/// <param name="Local">This node's clients: a block is given back when none of its ids is among them.</param>
/// <param name="After">How long after a block's last id went out it may be given back.</param>
/// <param name="Interval">How often the used-up blocks are checked.</param>
internal sealed record IdPoolRelease(long Incarnation, LocalClients Local, TimeSpan After, TimeSpan Interval);
