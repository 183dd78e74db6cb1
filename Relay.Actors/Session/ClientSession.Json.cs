using System.Buffers;
using Relay.Protocol;
using Relay.Protocol.Json;

namespace Relay.Actors.Session;

/// <summary>
/// The JSON protocol: a client whose first non-blank byte is <c>{</c> speaks JSON for the rest of
/// its life. Each object is translated to the text line it stands for and handled like one, and
/// every line the session sends is written as an object (see <see cref="SessionOutput.Flush"/>), so
/// the two protocols share one session and interoperate by construction.
/// </summary>
public sealed partial class ClientSession
{
    private readonly LineScratch _translated = new();
    // The refs of PINGs whose PONG is still to come, in order (null for a PING without one).
    private readonly Queue<byte[]?> _pingRefs = new();
    private Dialect _dialect;
    private bool _greetedOnSwitch;
    // The length of the ref the replies to the current command will carry (a list page counts it).
    private int _replyRefBytes;

    /// <summary>
    /// The client speaks JSON from its first message (a WebSocket: one object per message): its
    /// greeting is the hello object, and no text line is ever sent to it.
    /// </summary>
    public void UseMessages() => SpeakJson();

    /// <summary>From now on the client speaks JSON, and every line it is sent is an object.</summary>
    private void SpeakJson()
    {
        _dialect = Dialect.Json;
        Activity.SpeakJson();
        _output.Stage(json: true);
    }

    /// <summary>The first non-blank byte of the client's input decides its protocol.</summary>
    private void ChooseDialect(ReadOnlySpan<byte> chunk)
    {
        var first = chunk.IndexOfAnyExcept(" \t\r\n"u8);
        if (first < 0)
            return;

        if (chunk[first] != JsonWire.OpenBrace)
        {
            _dialect = Dialect.Text;
            return;
        }

        SpeakJson();
        // Before authentication there is no id yet: the hello comes once there is.
        if (_state != SessionState.Relaying)
            return;

        // YOUR_ID went out as text (the node could not know); the JSON hello repeats it.
        ServerLines.YourId(_output.Replies, _clientId);
        _output.Flush();
        _greetedOnSwitch = true;
    }

    /// <summary>One line from a JSON client: its command, or an error object saying what is wrong with it.</summary>
    private void OnJsonLine(ReadOnlySpan<byte> line)
    {
        if (line.IndexOfAnyExcept(" \t"u8) < 0)
            return;

        _output.Flush();
        if (JsonCommands.ToText(line, _translated, out var reference))
        {
            _replyRefBytes = reference.Length;
            var command = CommandParser.Parse(_translated.Written);
            if (command.Kind == CommandKind.Ping)
                _pingRefs.Enqueue(reference.IsEmpty ? null : reference.ToArray());
            if (command.Kind != CommandKind.Hello || !_greetedOnSwitch)
                Execute(command);
        }
        else
        {
            var error = _translated.Written;
            if (error.StartsWith(Wire.Error) && Wire.TryParseCode(ErrorCodeOf(error), out var code))
                _services.Counters.CountError(code);
            _output.Replies.Write(error);
            _output.Replies.Write("\n"u8);
        }

        _greetedOnSwitch = false;
        _replyRefBytes = 0;
        _translated.Reset();
        _output.Flush(reference);
    }

    private static ReadOnlySpan<byte> ErrorCodeOf(ReadOnlySpan<byte> line)
    {
        var code = line[Wire.Error.Length..];
        var colon = code.IndexOf(Wire.Colon);
        return colon < 0 ? code : code[..colon];
    }

    /// <summary>PONG, with the ref of the PING it answers for a JSON client.</summary>
    private void Pong()
    {
        ServerLines.Pong(_output.Replies);
        if (_dialect == Dialect.Json && _pingRefs.TryDequeue(out var reference))
            _output.Flush(reference);
    }

    private enum Dialect : byte
    {
        /// <summary>Only blank input so far.</summary>
        Undecided,
        Text,
        Json,
    }
}
