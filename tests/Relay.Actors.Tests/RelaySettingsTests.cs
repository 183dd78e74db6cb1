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
}
