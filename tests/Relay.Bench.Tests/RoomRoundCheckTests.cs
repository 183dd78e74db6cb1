namespace Relay.Bench.Tests;

/// <summary>What a soak room's lockstep round must look like to every member.</summary>
public sealed class RoomRoundCheckTests
{
    private static Dictionary<int, IReadOnlyList<(int Round, int Sender)>> Received(params (int Member, (int Round, int Sender)[] Messages)[] members) =>
        members.ToDictionary(m => m.Member, m => (IReadOnlyList<(int, int)>)m.Messages);

    [Fact]
    public void Every_member_in_the_room_has_every_other_ones_message_and_the_one_outside_none()
    {
        // Members 0-2 in the room, 3 outside.
        var received = Received(
            (0, [(7, 1), (7, 2)]),
            (1, [(7, 2), (7, 0)]),
            (2, [(7, 0), (7, 1)]),
            (3, []));

        Assert.Empty(RoomRoundCheck.Check(7, new HashSet<int> { 0, 1, 2 }, received));
    }

    [Fact]
    public void Missing_doubled_late_and_after_leaving_are_each_named()
    {
        var received = Received(
            (0, [(7, 1)]),                  // never got 2's
            (1, [(7, 0), (7, 2), (7, 2)]),  // 2's twice
            (2, [(6, 0), (7, 0), (7, 1)]),  // a round-6 message late
            (3, [(7, 0)]));                 // outside, yet got 0's

        var problems = RoomRoundCheck.Check(7, new HashSet<int> { 0, 1, 2 }, received);

        Assert.Equal(
            [
                "round 7: member 0 never got member 2's message",
                "round 7: member 1 got member 2's message twice",
                "round 7: member 2 got round 6 from member 0",
                "round 7: member 3 got member 0's message after it left the room",
            ],
            problems);
    }
}
