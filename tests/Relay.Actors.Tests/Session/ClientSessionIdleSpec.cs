using Akka.TestKit.Xunit2;
using Relay.Actors.Session;

namespace Relay.Actors.Tests.Session;

/// <summary>
/// The idle timeout closes connections that never say anything; a client that has sent a command
/// may be silent for as long as it likes.
/// </summary>
public sealed class ClientSessionIdleSpec : TestKit
{
    private const string Closed = "ERROR:IDLE_TIMEOUT:no command within 600 s of connecting; closing the connection\n";

    [Theory]
    [InlineData("")]
    [InlineData("\n\r\n \t\n")]
    [InlineData("TO:2:half a line")]
    [InlineData("{\"op\":\"ping\"")]
    public void Closes_with_IDLE_TIMEOUT_a_connection_that_sent_no_whole_command_in_time(string input)
    {
        var client = new SessionHarness(this).Register(1);
        if (input.Length > 0)
            client.Input(input);

        client.Fire(SessionTimer.Idle);

        var output = client.TakeOutput();
        Assert.True(output is Closed || output.StartsWith("{\"op\":\"hello\",\"id\":1}\n{\"op\":\"error\",\"code\":\"IDLE_TIMEOUT\"", StringComparison.Ordinal), output);
        Assert.True(client.Closed, "the connection stayed open");
        Assert.False(client.Local.TryGet(1, out _), "a closed client still takes deliveries");
    }

    [Theory]
    [InlineData("PING\n")]
    [InlineData("bogus\n")]
    [InlineData("{\"op\":\"ping\"}\n")]
    public void Never_times_out_a_client_that_sent_a_command_whatever_its_answer(string input)
    {
        var client = new SessionHarness(this).Register(1);
        Assert.True(client.IsRunning(SessionTimer.Idle));

        client.Input(input);

        Assert.False(client.IsRunning(SessionTimer.Idle), "a client that spoke can still be timed out");
    }

    [Fact]
    public void Counts_a_line_too_long_to_relay_as_a_command()
    {
        var client = new SessionHarness(this, "relay.connection.max-line-bytes = 16").Register(1);

        client.Input("PINGPINGPINGPINGPING");

        Assert.False(client.IsRunning(SessionTimer.Idle), "a client sending a line too long is not silent");
    }

    [Fact]
    public void Gives_a_client_the_full_time_again_while_the_node_itself_holds_its_reading_back()
    {
        // Ten blank lines use up the allowance: the node reads nothing more for a second.
        var client = new SessionHarness(this, "relay.connection.rate-limit.lines-per-second = 10").Register(1);
        client.Input(new string('\n', 20));
        Assert.False(client.InputRequested);

        client.Fire(SessionTimer.Idle);

        Assert.Equal("", client.TakeOutput());
        Assert.False(client.Closed);
        Assert.True(client.IsRunning(SessionTimer.Idle), "the node's own pause was taken for the client's silence");
    }

    [Fact]
    public void Sets_no_idle_timer_when_it_is_off_or_over_UDP()
    {
        var off = new SessionHarness(this, "relay.connection.idle-timeout = off").Register(1);
        var udp = new SessionHarness(this);
        udp.Session.UseDatagrams(json: false, maxDatagramBytes: 8192);
        udp.Register(2);

        Assert.False(off.IsRunning(SessionTimer.Idle));
        Assert.False(udp.IsRunning(SessionTimer.Idle));
    }
}
