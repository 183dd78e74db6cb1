using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Relay.Protocol;

namespace Relay.Bench;

/// <summary>
/// One short-lived client of a soak: it connects (to its node, or the next that gives it an id),
/// does one thing (a message to itself, a visit to a room: JOIN, ROOM, LEAVE, or a WHO), PINGs, and
/// goes in one of the three ways a client goes: QUIT, a half-close (FIN) or a reset (RST). Cycle n
/// does action n mod 3 and leaves the way n / 3 mod 3, so every pair comes up in nine cycles. What it
/// received must be exactly the answers (<see cref="Check"/>); a RECONNECT (its node leaving) ends
/// it early, and is no fault.
/// </summary>
internal static class ChurnCycle
{
    /// <summary>Rooms the cycles visit, churn-0 to churn-3: several cycles are in one at a time now and then.</summary>
    public const int Rooms = 4;

    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan AnswerWithin = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan CloseWithin = TimeSpan.FromSeconds(10);
    private static readonly byte[] QuitLine = "QUIT\n"u8.ToArray();

    /// <summary>What a cycle does while connected.</summary>
    public enum Action
    {
        MessageSelf,
        VisitRoom,
        Who,
    }

    /// <summary>How it goes.</summary>
    public enum Leave
    {
        Quit,
        HalfClose,
        Reset,
    }

    public static Action ActionOf(int number) => (Action)(number % 3);

    public static Leave LeaveOf(int number) => (Leave)(number / 3 % 3);

    public static string RoomOf(int number) => "churn-" + (number % Rooms).ToString(CultureInfo.InvariantCulture);

    /// <summary>The lines cycle <paramref name="number"/> sends once it has id <paramref name="id"/>, ending with its PING.</summary>
    public static string Commands(int number, long id)
    {
        var n = number.ToString(CultureInfo.InvariantCulture);
        var room = RoomOf(number);
        return ActionOf(number) switch
        {
            Action.MessageSelf => $"TO:{id.ToString(CultureInfo.InvariantCulture)}:churn{n}\nPING\n",
            Action.VisitRoom => $"JOIN:{room}\nROOM:{room}:churn{n}\nLEAVE:{room}\nPING\n",
            _ => "WHO\nPING\n",
        };
    }

    /// <summary>
    /// What is wrong with the lines cycle <paramref name="number"/> (id <paramref name="id"/>)
    /// received after its <c>YOUR_ID</c>, or null. Other clients' messages to a churn room are
    /// expected between its <c>OK:JOIN</c> and its PONG, its message to itself before or after the
    /// PONG, and nothing else.
    /// </summary>
    public static string? Check(int number, long id, IReadOnlyList<string> lines)
    {
        var pong = -1;
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i] != "PONG")
                continue;
            if (pong >= 0)
                return "two PONGs";
            pong = i;
        }

        if (pong < 0)
            return "no PONG";

        var room = RoomOf(number);
        var self = SelfLine(number, id) ?? "";
        var ownRoomLine = $"ROOM:{room}:{id.ToString(CultureInfo.InvariantCulture)}:";
        int fromSelf = 0, joined = 0, left = 0, who = 0;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var action = ActionOf(number);
            if (i == pong)
                continue;
            // A message is no reply: PONG does not wait for it (docs/protocol.md), even one to itself.
            if (i > pong && !(action == Action.MessageSelf && line == self))
                return $"'{line}' after the PONG";
            if (line.StartsWith("ERROR:", StringComparison.Ordinal))
                return $"got {line}";
            if (action == Action.MessageSelf && line == self)
                fromSelf++;
            else if (action == Action.Who && line.StartsWith("WHO:", StringComparison.Ordinal))
                who++;
            else if (action == Action.VisitRoom && line == $"OK:JOIN:{room}")
                joined++;
            else if (action == Action.VisitRoom && line == $"OK:LEAVE:{room}")
                left++;
            else if (action == Action.VisitRoom && line.StartsWith(ownRoomLine, StringComparison.Ordinal))
                return "its own room message came back to it";
            else if (action == Action.VisitRoom && line.StartsWith($"ROOM:{room}:", StringComparison.Ordinal))
            {
                if (joined == 0)
                    return $"'{line}' before its OK:JOIN";
            }
            else
                return $"unexpected line '{line}'";
        }

        return ActionOf(number) switch
        {
            Action.MessageSelf when fromSelf != 1 => $"its message to itself arrived {fromSelf} times",
            Action.VisitRoom when joined != 1 || left != 1 => $"{joined} OK:JOIN and {left} OK:LEAVE for one of each",
            Action.Who when who != 1 => $"{who} WHO answers for one WHO",
            _ => null,
        };
    }

    /// <summary>The message cycle <paramref name="number"/> sends itself as it arrives, if its action is that; else null.</summary>
    public static string? SelfLine(int number, long id) => ActionOf(number) == Action.MessageSelf
        ? $"FROM:{id.ToString(CultureInfo.InvariantCulture)}:churn{number.ToString(CultureInfo.InvariantCulture)}"
        : null;

    /// <summary>Runs cycle <paramref name="number"/> against <paramref name="nodes"/>; bounded by its timeouts and <paramref name="limit"/>.</summary>
    public static async Task<Outcome> RunAsync(int number, IReadOnlyList<IPEndPoint> nodes, CancellationToken limit)
    {
        var leave = LeaveOf(number);
        var refused = 0;
        string? lastError = null;
        BenchConnection? connection = null;
        for (var attempt = 0; attempt < nodes.Count && connection is null && !limit.IsCancellationRequested; attempt++)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(limit);
            timeout.CancelAfter(ConnectTimeout);
            try
            {
                connection = await BenchConnection.ConnectAsync(nodes[(number + attempt) % nodes.Count], timeout.Token).ConfigureAwait(false);
            }
            catch (Exception error) when (error is IOException or SocketException or OperationCanceledException)
            {
                // A node that is stopping refuses, or closes before YOUR_ID: the next one is tried.
                refused++;
                lastError = error is OperationCanceledException ? $"no id within {ConnectTimeout.TotalSeconds:0} s" : error.Message;
            }
        }

        if (connection is null)
            return new Outcome(leave, Connected: false, refused, Interrupted: false, Problem: $"no node gave it an id (last: {lastError})");

        await using (connection.ConfigureAwait(false))
        {
            var transcript = new Transcript(SelfLine(number, connection.Id));
            using var reading = CancellationTokenSource.CreateLinkedTokenSource(limit);
            var receive = ReceiveQuietlyAsync(connection, transcript, reading.Token);
            string? stalled = null;
            try
            {
                stalled = "no PONG (or no message to itself)";
                await connection.SendAsync(Encoding.ASCII.GetBytes(Commands(number, connection.Id)), limit).ConfigureAwait(false);
                await Task.WhenAny(transcript.Answered.Task, receive).WaitAsync(AnswerWithin, limit).ConfigureAwait(false);
                if (!transcript.Answered.Task.IsCompleted)
                {
                    stalled = "the node closed the connection before the PONG";
                }
                else
                {
                    stalled = $"not closed by the node after its {(leave == Leave.Quit ? "QUIT" : "FIN")}";
                    switch (leave)
                    {
                        case Leave.Quit:
                            await connection.SendAsync(QuitLine, limit).ConfigureAwait(false);
                            await receive.WaitAsync(CloseWithin, limit).ConfigureAwait(false);
                            break;
                        case Leave.HalfClose:
                            connection.ShutdownSend();
                            await receive.WaitAsync(CloseWithin, limit).ConfigureAwait(false);
                            break;
                        default:
                            connection.Reset();
                            break;
                    }

                    stalled = null;
                }
            }
            catch (TimeoutException)
            {
                stalled += $" within {AnswerWithin.TotalSeconds:0} s";
            }
            catch (Exception error) when (error is SocketException or IOException or ObjectDisposedException or OperationCanceledException)
            {
                stalled = $"{stalled}: {error.Message}";
            }

            await reading.CancelAsync().ConfigureAwait(false);
            await receive.ConfigureAwait(false);
            if (transcript.Lines.Any(l => l.StartsWith("RECONNECT:", StringComparison.Ordinal)))
                return new Outcome(leave, Connected: true, refused, Interrupted: true, Problem: null);
            var problem = stalled ?? Check(number, connection.Id, transcript.Lines);
            return new Outcome(leave, Connected: true, refused, Interrupted: false, Problem: problem is null ? null : $"cycle {number} ({ActionOf(number)}, {leave}, id {connection.Id}): {problem}");
        }
    }

    private static async Task ReceiveQuietlyAsync(BenchConnection connection, Transcript transcript, CancellationToken cancellation)
    {
        try
        {
            await connection.ReceiveAsync(transcript, cancellation, 4096).ConfigureAwait(false);
        }
        catch (Exception error) when (error is SocketException or ObjectDisposedException)
        {
            // Our own reset, or the node's: the transcript says what came before.
        }
    }

    /// <summary>What became of one cycle.</summary>
    /// <param name="How">The way it was to leave.</param>
    /// <param name="Connected">It got an id.</param>
    /// <param name="RefusedAttempts">Connects that got no id (a node stopping or starting), each followed by a try on the next node.</param>
    /// <param name="Interrupted">Its node said RECONNECT (it was leaving) before the cycle was done.</param>
    /// <param name="Problem">What was wrong, or null.</param>
    public sealed record Outcome(Leave How, bool Connected, int RefusedAttempts, bool Interrupted, string? Problem);

    /// <summary>Every line received; answered once the PONG has come, and the message to itself if it sent one.</summary>
    private sealed class Transcript(string? awaited) : ILineSink
    {
        private bool _pong;
        private bool _awaitedSeen = awaited is null;

        public List<string> Lines { get; } = new();

        public TaskCompletionSource Answered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void OnLine(ReadOnlySpan<byte> line)
        {
            var text = Encoding.UTF8.GetString(line);
            Lines.Add(text);
            _pong |= text == "PONG";
            _awaitedSeen |= text == awaited;
            if (_pong && _awaitedSeen)
                Answered.TrySetResult();
        }

        public void OnLineTooLong() => Lines.Add("(a line over the limit)");
    }
}
