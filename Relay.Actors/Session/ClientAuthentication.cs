using System.Security.Cryptography;
using System.Text;
using Akka.Configuration;
using Relay.Protocol;

namespace Relay.Actors.Session;

/// <summary>
/// The <c>relay.auth</c> section: the tokens a client may present (<c>AUTH:&lt;token&gt;</c>) as its
/// first line. Only their SHA-256 hashes are kept, so a token never reaches a log or a dump.
/// </summary>
public sealed class ClientAuthentication
{
    private readonly byte[][] _hashes;

    private ClientAuthentication(byte[][] hashes) => _hashes = hashes;

    /// <summary>No token configured: clients need not authenticate.</summary>
    public static ClientAuthentication None { get; } = new([]);

    /// <summary>Whether a client must send a token before anything else.</summary>
    public bool Required => _hashes.Length > 0;

    /// <summary>The tokens of <c>relay.auth.tokens</c> and of the file <c>relay.auth.tokens-file</c> (one per line, # comments).</summary>
    public static ClientAuthentication Create(Config config)
    {
        var section = config.GetConfig("relay.auth")
            ?? throw new ConfigurationException("Missing relay.auth section; is hocon/relay.conf the fallback?");
        var tokens = section.GetStringList("tokens").ToList();
        var file = section.GetString("tokens-file");
        if (!string.IsNullOrEmpty(file))
        {
            if (!File.Exists(file))
                throw new ConfigurationException($"relay.auth.tokens-file \"{file}\" does not exist.");
            tokens.AddRange(File.ReadAllLines(file).Select(line => line.Trim()).Where(line => line.Length > 0 && !line.StartsWith('#')));
        }

        foreach (var token in tokens)
        {
            // Which token is wrong is not said: the message would print it.
            if (token.Length == 0 || Encoding.UTF8.GetByteCount(token) > AuthRequest.MaxTokenBytes || token.Any(char.IsControl))
                throw new ConfigurationException($"relay.auth: a token must be 1 to {AuthRequest.MaxTokenBytes} bytes without control characters.");
        }

        return new ClientAuthentication(tokens.Select(token => SHA256.HashData(Encoding.UTF8.GetBytes(token))).ToArray());
    }

    /// <summary>
    /// Whether <paramref name="token"/> is one of the configured tokens. Compares hashes in constant
    /// time against every token, so how long it takes says nothing about any of them.
    /// </summary>
    public bool Accepts(ReadOnlySpan<byte> token)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(token, hash);
        var accepted = false;
        foreach (var expected in _hashes)
            accepted |= CryptographicOperations.FixedTimeEquals(hash, expected);
        return accepted;
    }
}
