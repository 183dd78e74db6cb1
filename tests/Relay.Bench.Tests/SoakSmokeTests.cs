using System.Net;
using Relay.Testing;

namespace Relay.Bench.Tests;

/// <summary>
/// The soak workload, a few seconds of it against one real node, so that the tool behind
/// scripts/soak.sh keeps working; the soak itself (minutes, three nodes, a restart) is not part of
/// the test run. Growth is not judged here: seconds after a node starts, its memory and threads
/// are still finding their level.
/// </summary>
public sealed class SoakSmokeTests : IAsyncLifetime
{
    private NodeProcess _node = null!;
    private string _control = null!;

    public async Task InitializeAsync()
    {
        _control = Directory.CreateTempSubdirectory("relay-soak-").FullName;
        _node = await NodeProcess.StartAsync("--dashboard-port", FreePorts.Take(1)[0].ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        Directory.Delete(_control, recursive: true);
    }

    [Fact]
    public async Task A_short_soak_accounts_for_every_message_round_and_connection_and_samples_the_node()
    {
        var options = new BenchOptions([_node.ClientEndpoint], TimeSpan.FromSeconds(60), Progress: false);
        var dashboard = new IPEndPoint(IPAddress.Loopback, _node.Dashboard!.Port);
        var plan = new SoakPlan(Clients: 4, Rate: 40, Duration: TimeSpan.FromSeconds(4), Warmup: TimeSpan.FromSeconds(1),
            Settle: TimeSpan.FromSeconds(0.5), RestartAt: null, ChurnRate: 5, Rooms: 1, RoomMembers: 3, RoundInterval: TimeSpan.FromSeconds(0.5),
            Pids: [_node.Process.Id], Dashboards: [dashboard], ControlDirectory: _control);

        var result = await new SoakWorkload(options, plan).RunAsync();

        // A send the end of the traffic cancels midway counts as sent and as a failed write.
        var written = (long)result["sent"]! - (long)result["write failed (connection broke)"]!;
        Assert.True(written > 0);
        Assert.InRange((long)result["write failed (connection broke)"]!, 0, 4);
        Assert.Equal(written, result["seen by recipient"]);
        Assert.Equal(written, result["DELIVERED receipts"]);
        Assert.Equal(0L, result["lost without an answer"]);
        Assert.True((int)result["room rounds right"]! > 0);
        Assert.Equal(result["room rounds"], result["room rounds right"]);
        Assert.True((long)result["churn cycles"]! > 0);
        Assert.DoesNotContain("churn cycles went wrong", (string)result["verdict"]!, StringComparison.Ordinal);
        Assert.DoesNotContain("room", (string)result["verdict"]!, StringComparison.Ordinal);
        Assert.Contains("sockets", (string)result["node 1"]!, StringComparison.Ordinal);
    }
}
