using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Relay.Testing;
using Xunit.Abstractions;

namespace Relay.Host.Tests;

/// <summary>Two real nodes that talk over TLS (relay.cluster.tls), sharing one self-signed certificate this run made.</summary>
public sealed class ClusterTlsFixture : IAsyncLifetime
{
    public const string Certificate = "relay-test-cluster";

    public TlsTestFiles Files { get; } = new();

    public X509Certificate2 ClusterCertificate { get; private set; } = null!;

    public TestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        (var config, ClusterCertificate) = Files.CreateNodeCertificate(Certificate);
        Cluster = await TestCluster.StartAsync(2, "--config", config);
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        Files.Dispose();
    }
}

/// <summary>
/// TLS between nodes on loopback: the nodes relay as usual, and their cluster port speaks only TLS,
/// and only with holders of a certificate they trust. Each test probes its own node and awaits log
/// lines only it can cause, so the tests share the cluster in any order.
/// </summary>
public sealed class ClusterTlsTests(ClusterTlsFixture fixture, ITestOutputHelper output) : IClassFixture<ClusterTlsFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private NodeProcess[] Nodes => fixture.Cluster.Nodes;

    [Fact]
    public async Task Relays_both_ways_between_clients_of_two_nodes_that_talk_over_TLS()
    {
        foreach (var node in Nodes)
            Assert.Contains("cluster member akka.ssl.tcp://relay@127.0.0.1:", node.Process.Transcript, StringComparison.Ordinal);

        var (a, aId) = await LineSocket.ConnectClientAsync(Nodes[0].ClientEndpoint);
        var (b, bId) = await LineSocket.ConnectClientAsync(Nodes[1].ClientEndpoint);
        await using var _a = a;
        await using var _b = b;

        await a.SendAsync($"TO:{bId}:안녕 over TLS\n");
        Assert.Equal($"FROM:{aId}:안녕 over TLS", await b.ReadLineAsync());
        await b.SendAsync($"TO:{aId}:and back\n");
        Assert.Equal($"FROM:{bId}:and back", await a.ReadLineAsync());
    }

    [Fact]
    public async Task A_node_without_TLS_never_joins_the_TLS_cluster_and_never_opens_its_client_port()
    {
        var clientPort = FreePorts.Take(1)[0];
        await using var plain = TestProcess.StartProject(
            "Relay.Host", "--port", Text(clientPort), "--cluster-port", "0", "--dashboard-port", "0", "--seeds", $"127.0.0.1:{Text(Nodes[0].ClusterPort)}");

        // Node 0 rejects the plain node's first connection; the plain node keeps trying, every
        // attempt is refused, and after three it is still no member.
        await Nodes[0].Process.WaitForLineAsync(
            line => line.Contains("Rejected incoming connection from", StringComparison.Ordinal), Bound, "node 0 rejecting the plain node");
        await plain.WaitForLineAsync(
            line => line.Contains("Couldn't join seed nodes after [3] attempts", StringComparison.Ordinal), Bound, "the plain node's third failed join");

        Assert.False(plain.HasExited);
        Assert.DoesNotContain("RelayChat node listening", plain.Transcript, StringComparison.Ordinal);
        var refused = await Assert.ThrowsAsync<SocketException>(() => LineSocket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, clientPort)));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    [Fact]
    public async Task A_node_with_a_certificate_the_cluster_does_not_trust_stops_with_exit_code_79_and_the_cluster_carries_on()
    {
        var (config, _) = fixture.Files.CreateNodeCertificate("untrusted-node");
        await using var intruder = TestProcess.StartProject(
            "Relay.Host", "--port", "0", "--cluster-port", "0", "--dashboard-port", "0", "--config", config,
            "--seeds", $"127.0.0.1:{Text(Nodes[1].ClusterPort)}");

        Assert.Equal(79, await intruder.WaitForExitAsync(Bound));
        Assert.Contains("relay: stopped: TLS handshake failed", intruder.Transcript, StringComparison.Ordinal);
        Assert.DoesNotContain("RelayChat node listening", intruder.Transcript, StringComparison.Ordinal);

        var (a, aId) = await LineSocket.ConnectClientAsync(Nodes[1].ClientEndpoint);
        var (b, bId) = await LineSocket.ConnectClientAsync(Nodes[0].ClientEndpoint);
        await using var _a = a;
        await using var _b = b;
        await a.SendAsync($"TO:{bId}:still here\n");
        Assert.Equal($"FROM:{aId}:still here", await b.ReadLineAsync());
    }

    [Fact]
    public async Task The_cluster_port_speaks_only_TLS_and_only_with_holders_of_a_trusted_certificate()
    {
        var node = Nodes[1];

        // Plain bytes (an Akka.Remote frame, as a node without TLS sends) are answered with a close:
        // nothing of the cluster's protocol ever crosses in the clear.
        var answer = await SendPlainAsync(node.ClusterPort, [.. BitConverter.GetBytes(20), .. "a plain Akka frame.."u8]);
        Assert.True(answer.Length == 0 || answer[0] == 0x15, $"the node answered plain bytes with {Convert.ToHexString(answer)}, not a TLS alert or a close");
        await node.Process.WaitForLineAsync(line => line.Contains("not an SSL/TLS record", StringComparison.Ordinal), Bound, "the node rejecting plain bytes");

        // A TLS client without a certificate, and one with a certificate nobody trusts, are refused.
        Assert.True(await IsRefusedAsync(node.ClusterPort, clientCertificate: null), "a client without a certificate was served");
        await node.Process.WaitForLineAsync(
            line => line.Contains("did not provide a certificate", StringComparison.Ordinal), Bound, "the node refusing a client without a certificate");

        fixture.Files.CreateNodeCertificate("untrusted-client");
        using var untrusted = fixture.Files.LoadWithKey("untrusted-client");
        Assert.True(await IsRefusedAsync(node.ClusterPort, untrusted), "a client with an untrusted certificate was served");
        var fingerprint = untrusted.GetCertHashString(HashAlgorithmName.SHA256);
        await node.Process.WaitForLineAsync(
            line => line.Contains("Refused the cluster connection with", StringComparison.Ordinal) && line.Contains(fingerprint, StringComparison.Ordinal),
            Bound, "the node refusing the untrusted certificate");

        // With the cluster's certificate the handshake completes: TLS 1.2 or later, and the node
        // presents the cluster's certificate.
        using var trusted = fixture.Files.LoadWithKey(ClusterTlsFixture.Certificate);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, node.ClusterPort);
        X509Certificate? presented = null;
        await using var tls = new SslStream(tcp.GetStream());
        using var timeout = new CancellationTokenSource(Bound);
        await tls.AuthenticateAsClientAsync(ClientOptions(trusted, certificate => presented = certificate), timeout.Token);
        output.WriteLine($"negotiated {tls.SslProtocol}, {tls.NegotiatedCipherSuite}");
        Assert.True(tls.SslProtocol is SslProtocols.Tls12 or SslProtocols.Tls13, $"negotiated {tls.SslProtocol}");
        Assert.Equal(fixture.ClusterCertificate.GetCertHashString(HashAlgorithmName.SHA256), presented?.GetCertHashString(HashAlgorithmName.SHA256));
    }

    /// <summary>Sends <paramref name="bytes"/> in the clear and returns what comes back before the node closes the connection.</summary>
    private static async Task<byte[]> SendPlainAsync(int port, byte[] bytes)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(Bound);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), timeout.Token);
        await socket.SendAsync(bytes, SocketFlags.None, timeout.Token);
        var received = new List<byte>();
        var buffer = new byte[1024];
        try
        {
            for (var count = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token); count > 0;
                 count = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token))
                received.AddRange(buffer[..count]);
        }
        catch (SocketException error) when (error.SocketErrorCode == SocketError.ConnectionReset)
        {
            // A reset closes too.
        }

        return [.. received];
    }

    /// <summary>
    /// Whether the node refuses a TLS client presenting <paramref name="clientCertificate"/>: the
    /// handshake fails, or (in TLS 1.2 the client may finish first) the node closes the connection
    /// without a byte once it has checked the certificate.
    /// </summary>
    private static async Task<bool> IsRefusedAsync(int port, X509Certificate2? clientCertificate)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        await using var tls = new SslStream(tcp.GetStream());
        using var timeout = new CancellationTokenSource(Bound);
        try
        {
            await tls.AuthenticateAsClientAsync(ClientOptions(clientCertificate, _ => { }), timeout.Token);
            return await tls.ReadAsync(new byte[1], timeout.Token) == 0;
        }
        catch (Exception error) when (error is AuthenticationException or IOException)
        {
            return true;
        }
    }

    private static SslClientAuthenticationOptions ClientOptions(X509Certificate2? clientCertificate, Action<X509Certificate?> seen) => new()
    {
        TargetHost = "127.0.0.1",
        // This test trusts whatever the node presents and looks at it afterwards; the node is
        // the side whose checks are under test.
        RemoteCertificateValidationCallback = (_, certificate, _, _) =>
        {
            seen(certificate);
            return true;
        },
        // Offered whatever the node asks for; .NET would otherwise offer it only to a node that
        // names its issuer.
        LocalCertificateSelectionCallback = clientCertificate is null ? null : (_, _, _, _, _) => clientCertificate,
    };

    private static string Text(int number) => number.ToString(CultureInfo.InvariantCulture);
}
