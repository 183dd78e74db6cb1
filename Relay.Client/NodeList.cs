namespace Relay.Client;

/// <summary>
/// The nodes a client may use, tried in turn: connect to the first that answers, and on losing
/// it, to the next one (failover). A cluster makes every node equivalent for a client.
/// </summary>
internal sealed class NodeList
{
    private readonly (string Host, int Port)[] _nodes;
    private readonly RelayClientOptions _options;
    private int _current;

    public NodeList(IReadOnlyList<(string Host, int Port)> nodes, RelayClientOptions? options = null)
    {
        if (nodes.Count == 0)
            throw new ArgumentException("At least one node is needed.", nameof(nodes));
        _nodes = nodes.ToArray();
        _options = options ?? RelayClientOptions.Default;
    }

    /// <summary>More than one node: losing one is survivable.</summary>
    public bool CanFailOver => _nodes.Length > 1;

    /// <summary>How every connection is made: protocol, transport.</summary>
    public RelayClientOptions Options => _options;

    /// <summary>The node connected to last.</summary>
    public string Current => $"{_nodes[_current].Host}:{_nodes[_current].Port}";

    /// <summary>
    /// Connects to the first node that answers, starting with the current one, or with the one
    /// after it when <paramref name="skipCurrent"/> (it just went away). Makes
    /// <paramref name="rounds"/> passes over the list, a second apart.
    /// </summary>
    /// <exception cref="RelayConnectionException">No node answered; the message names the last reason.</exception>
    public async Task<RelayClient> ConnectAsync(bool skipCurrent = false, int rounds = 1, CancellationToken cancellation = default)
    {
        RelayConnectionException? last = null;
        for (var round = 0; round < rounds; round++)
        {
            if (round > 0)
                await Task.Delay(TimeSpan.FromSeconds(1), cancellation).ConfigureAwait(false);
            for (var attempt = 0; attempt < _nodes.Length; attempt++)
            {
                var index = (_current + attempt + (skipCurrent && round == 0 ? 1 : 0)) % _nodes.Length;
                try
                {
                    var client = await RelayClient.ConnectAsync(_nodes[index].Host, _nodes[index].Port, _options, cancellation).ConfigureAwait(false);
                    _current = index;
                    return client;
                }
                catch (RelayConnectionException error)
                {
                    last = error;
                }
            }
        }

        throw _nodes.Length == 1 ? last! : new RelayConnectionException($"no node answered; last: {last!.Message}", last);
    }

    /// <summary>Parses <c>host:port[,host:port…]</c>.</summary>
    public static bool TryParse(string text, out List<(string Host, int Port)> nodes, out string? error)
    {
        nodes = new();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = part.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(part[(colon + 1)..], out var port) || port is < 1 or > 65535)
            {
                error = $"'{part}' is not host:port";
                return false;
            }

            nodes.Add((part[..colon], port));
        }

        error = nodes.Count == 0 ? "no nodes given" : null;
        return error is null;
    }
}
