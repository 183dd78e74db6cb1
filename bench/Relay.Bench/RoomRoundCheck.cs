namespace Relay.Bench;

/// <summary>
/// Judges one lockstep round of a soak room (<see cref="RoomGroup"/>): every member in the room
/// said the round once, and each must have received it from every other member in the room, once;
/// a member outside the room (it left before the round, and had its <c>OK:LEAVE</c>) none.
/// </summary>
internal static class RoomRoundCheck
{
    /// <summary>What is wrong with round <paramref name="round"/>; empty when nothing is.</summary>
    /// <param name="round">The round judged.</param>
    /// <param name="speakers">The members in the room, each of which said the round.</param>
    /// <param name="received">Per member (every member of the group), the (round, sender) of each room message it got since the last round was judged.</param>
    public static IReadOnlyList<string> Check(int round, IReadOnlyCollection<int> speakers, IReadOnlyDictionary<int, IReadOnlyList<(int Round, int Sender)>> received)
    {
        var problems = new List<string>();
        foreach (var (member, messages) in received.OrderBy(r => r.Key))
        {
            var inRoom = speakers.Contains(member);
            var seen = new HashSet<int>();
            foreach (var (messageRound, sender) in messages)
            {
                if (messageRound != round)
                    problems.Add($"round {round}: member {member} got round {messageRound} from member {sender}");
                else if (!inRoom)
                    problems.Add($"round {round}: member {member} got member {sender}'s message after it left the room");
                else if (sender == member || !speakers.Contains(sender))
                    problems.Add($"round {round}: member {member} got a message from member {sender}, which did not say one");
                else if (!seen.Add(sender))
                    problems.Add($"round {round}: member {member} got member {sender}'s message twice");
            }

            if (!inRoom)
                continue;
            foreach (var sender in speakers.Where(s => s != member && !seen.Contains(s)).Order())
                problems.Add($"round {round}: member {member} never got member {sender}'s message");
        }

        return problems;
    }
}
