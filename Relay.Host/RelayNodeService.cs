using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Relay.Actors;
using Relay.Host.ClusterTls;

namespace Relay.Host;

/// <summary>
/// Starts the relay on the actor system Akka.Hosting made, once the host runs, and prints where
/// the node listens. It starts in the background, so the HTTP server (health, readiness) answers
/// while the node is still joining its cluster.
/// </summary>
internal sealed class RelayNodeService(
    ActorSystem system, NodeConfiguration configuration, IHostApplicationLifetime lifetime, ILogger<RelayNodeService> log) : BackgroundService
{
    /// <summary>What the node prints on stderr when its cluster downed it (docs/cluster.md, "Partition").</summary>
    public const string DownedLine =
        "relay: the cluster downed this node (cut off from the majority, or downed by an operator); it has stopped. " +
        "Restart it to rejoin the cluster.";

    private readonly TaskCompletionSource<RelayNode> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The node once it has started; null before (and if it could not start).</summary>
    public RelayNode? Node => _started.Task.IsCompletedSuccessfully ? _started.Task.Result : null;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Downed by its cluster (a partition left it in the minority, or an operator downed it), the
        // node's actor system ends on its own and Akka.Hosting stops the process with exit code -1
        // (255). Without this line the log would end with the resolver's decision, unexplained.
        _ = system.WhenTerminated.ContinueWith(
            _ =>
            {
                if (CoordinatedShutdown.Get(system).ShutdownReason is CoordinatedShutdown.ClusterDowningReason)
                    Console.Error.WriteLine(DownedLine);
            },
            TaskScheduler.Default);
        try
        {
            var node = await RelayNode.StartAsync(system, configuration.Settings, stoppingToken).ConfigureAwait(false);
            _started.TrySetResult(node);
            Console.WriteLine($"RelayChat node listening on {node.ClientEndpoint}");
            if (node.UdpEndpoint is not null)
                Console.WriteLine($"UDP on {node.UdpEndpoint}");
            if (configuration.Settings.Dashboard.Port is { } port)
                Console.WriteLine($"dashboard on http://{configuration.Settings.Host}:{port}/");
            Console.WriteLine($"cluster member {node.ClusterAddress}");
            if (configuration.Tls is { } tls)
                ReportCertificate(tls);
            Console.WriteLine($"at most {node.MaxConnections} clients at once (relay.client-endpoint.max-connections)");
            if (configuration.Settings.Host is not ("127.0.0.1" or "::1") && !configuration.Settings.Connection.Auth.Required)
            {
                log.LogWarning(
                    "Clients are accepted on {Host}, which is not loopback, without authentication: anyone who can reach it can connect (relay.auth)",
                    configuration.Settings.Host);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            _started.TrySetCanceled(stoppingToken);
        }
        catch (Exception error)
        {
            _started.TrySetException(error);
            await Console.Error.WriteLineAsync($"relay: {error.Message}").ConfigureAwait(false);
            Environment.ExitCode = 1;
            lifetime.StopApplication();
        }
    }

    private void ReportCertificate(ClusterCertificates tls)
    {
        var expires = tls.Certificate.NotAfter;
        Console.WriteLine($"cluster TLS with {tls.Certificate.Subject} (SHA-256 {tls.Fingerprint}), valid until {expires:yyyy-MM-dd HH:mm}");
        // Once it expires its peers refuse every new connection, and a node whose own connection is
        // refused stops (Akka.Remote): a month is time to roll a new one out (docs/operations.md).
        if (expires - DateTime.Now < TimeSpan.FromDays(30))
        {
            log.LogWarning(
                "The cluster certificate {Subject} expires on {Expires:yyyy-MM-dd HH:mm}: roll out a new one before (docs/operations.md, \"TLS between nodes\")",
                tls.Certificate.Subject, expires);
        }
    }
}
