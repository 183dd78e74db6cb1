using System.Globalization;
using Akka.Actor;
using Akka.Cluster;

namespace Relay.Actors.Ids;

/// <summary>
/// The node incarnation that leased an id block: its address and its uid. A node restarted at the
/// same address is another incarnation, and the blocks of the dead one are of no more use.
/// </summary>
/// <param name="Address">Where the node is reached.</param>
/// <param name="Uid">The incarnation; 0 when not recorded (a lease written by an older version).</param>
public readonly record struct LeaseOwner(Address Address, long Uid)
{
    /// <summary>The owner for a member of the cluster.</summary>
    public static LeaseOwner Of(UniqueAddress member) => new(member.Address, member.Uid);

    /// <summary>Reads the form <see cref="ToString"/> writes: <c>address#uid</c>, or a bare address.</summary>
    public static LeaseOwner Parse(string value)
    {
        var hash = value.LastIndexOf('#');
        return hash < 0
            ? new LeaseOwner(Address.Parse(value), 0)
            : new LeaseOwner(Address.Parse(value[..hash]), long.Parse(value.AsSpan(hash + 1), CultureInfo.InvariantCulture));
    }

    /// <summary>Whether <paramref name="member"/> is this incarnation (any incarnation at this address if the uid is unknown).</summary>
    public bool Is(UniqueAddress member) => member.Address == Address && (Uid == 0 || member.Uid == Uid);

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Address}#{Uid}");
}
