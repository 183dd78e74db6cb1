using Relay.Protocol;

namespace Relay.Actors.Session;

/// <summary>
/// Client authentication (relay.auth): when the node has tokens, a client is read before it has an
/// id, and its first line must present one. Nothing else is answered, relayed or listed until it
/// has; a client that does not gets one error line and is closed. The lines that came with the
/// token wait, unread, until the client has its id.
/// </summary>
public sealed partial class ClientSession
{
    /// <summary>The client's first line, while <see cref="SessionState.Authenticating"/>.</summary>
    private void Authenticate(ReadOnlySpan<byte> line)
    {
        if (line.IndexOfAnyExcept(" \t"u8) < 0)
            return;

        var token = AuthRequest.TokenOf(line, _dialect == Dialect.Json);
        if (token is null)
        {
            RefuseUnauthenticated(ErrorCode.AuthRequired);
            return;
        }

        // Not logged: a stream of bad tokens would write the log; relay_errors_total{code="AUTH_FAILED"} counts them.
        if (!_settings.Auth.Accepts(token))
        {
            RefuseUnauthenticated(ErrorCode.AuthFailed);
            return;
        }

        _state = SessionState.Registering;
        RequestId();
    }

    /// <summary>One error line, then the close; the client never got an id.</summary>
    private void RefuseUnauthenticated(ErrorCode code)
    {
        if (code == ErrorCode.AuthFailed)
            ServerLines.AuthFailed(Refuse(code));
        else
            ServerLines.AuthRequired(Refuse(code));
        _output.Flush();
        _timers.Cancel(SessionTimer.Register);
        _state = SessionState.Closing;
    }
}
