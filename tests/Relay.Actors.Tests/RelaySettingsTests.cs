using Akka.Configuration;

namespace Relay.Actors.Tests;

public sealed class RelaySettingsTests
{
    [Fact]
    public void Defaults_to_the_seeds_port_on_loopback_with_bounded_connections()
    {
        var settings = RelaySettings.Create(RelayNode.DefaultConfig());

        Assert.Equal(("127.0.0.1", 9999), (settings.Host, settings.Port));
        Assert.Equal(64 * 1024, settings.Connection.MaxLineBytes);
        Assert.Equal(1024 * 1024, settings.Connection.MaxOutboundBytes);
        Assert.Equal(TimeSpan.FromMilliseconds(50), settings.Connection.PartialLineTimeout);
        Assert.Equal(TimeSpan.FromMinutes(10), settings.Connection.IdleTimeout);
    }

    [Fact]
    public void Turns_the_idle_timeout_off_with_off()
    {
        var connection = RelaySettings.Create(RelayNode.LoadConfig(overrides: "relay.connection.idle-timeout = off")).Connection;

        Assert.Null(connection.IdleTimeout);
    }

    [Fact]
    public void Lets_overrides_win_over_a_file_and_the_file_over_the_defaults()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "relay.client-endpoint.port = 7000\nrelay.connection.max-line-bytes = 1 KiB\n");

            var settings = RelaySettings.Create(RelayNode.LoadConfig(file, "relay.client-endpoint.port = 7001"));

            Assert.Equal(7001, settings.Port);
            Assert.Equal(1024, settings.Connection.MaxLineBytes);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Refuses_an_outbound_limit_smaller_than_one_line() =>
        Assert.Throws<ConfigurationException>(() => RelaySettings.Create(
            RelayNode.LoadConfig(overrides: "relay.connection.max-outbound-bytes = 1 KiB")));

    [Fact]
    public void Pauses_reading_at_a_quarter_of_the_outbound_bound_by_default()
    {
        var connection = RelaySettings.Create(RelayNode.DefaultConfig()).Connection;

        Assert.Equal(connection.MaxOutboundBytes / 4, connection.PauseReadingAboveBytes);
    }

    [Theory]
    [InlineData("relay.connection.pause-reading-above = 1")]
    [InlineData("relay.connection.pause-reading-above = 0")]
    [InlineData("relay.connection.remote-window-lines = 0")]
    [InlineData("relay.connection.fanout-window-messages = 0")]
    [InlineData("relay.connection.max-rooms = 0")]
    [InlineData("relay.connection.max-pending-receipts = 0")]
    [InlineData("relay.connection.list-page-size = 0")]
    [InlineData("relay.connection.list-page-size = 20000")]
    [InlineData("relay.connection.idle-timeout = 0s")]
    [InlineData("relay.client-endpoint.max-connections = 0")]
    [InlineData("relay.client-endpoint.max-connections = lots")]
    public void Refuses_bounds_that_cannot_work(string hocon) =>
        Assert.Throws<ConfigurationException>(() => RelaySettings.Create(RelayNode.LoadConfig(overrides: hocon)));

    [Fact]
    public void Derives_the_connection_limit_from_the_open_file_limit_unless_given()
    {
        Assert.Null(RelaySettings.Create(RelayNode.DefaultConfig()).MaxConnections);
        Assert.Equal(500, RelaySettings.Create(RelayNode.LoadConfig(overrides: "relay.client-endpoint.max-connections = 500")).MaxConnections);
    }
}
