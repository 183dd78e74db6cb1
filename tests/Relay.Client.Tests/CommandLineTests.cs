using Relay.Testing;

namespace Relay.Client.Tests;

/// <summary>Bad options and values, for every form of the console client: one plain line and exit code 2, no stack trace.</summary>
public sealed class CommandLineTests
{
    [Theory]
    [InlineData("--port 99999", "--port must be a port number 1-65535, got '99999'.")]
    [InlineData("--port abc", "--port must be a port number 1-65535, got 'abc'.")]
    [InlineData("--port 0", "--port must be a port number 1-65535, got '0'.")]
    [InlineData("--nodes bad", "--nodes: 'bad' is not host:port")]
    [InlineData("--bogus", "Unrecognized command or argument '--bogus'.")]
    [InlineData("listen --count x", "--count must be a number of messages, 1 or more, got 'x'.")]
    [InlineData("listen --count -1", "--count must be a number of messages, 1 or more, got '-1'.")]
    [InlineData("listen --timeout soon", "--timeout must be a number of seconds above 0, got 'soon'.")]
    [InlineData("listen --port abc", "--port must be a port number 1-65535, got 'abc'.")]
    [InlineData("send --to x hi", "--to must be a client id (a positive number), got 'x'.")]
    [InlineData("send --to 0 hi", "--to must be a client id (a positive number), got '0'.")]
    [InlineData("send --port 70000 --to 1 hi", "--port must be a port number 1-65535, got '70000'.")]
    [InlineData("--json yes", "Unrecognized command or argument 'yes'.")]
    [InlineData("--udp 9000", "Unrecognized command or argument '9000'.")]
    [InlineData("listen --udp --json --count 0", "--count must be a number of messages, 1 or more, got '0'.")]
    [InlineData("send --json --udp --to x hi", "--to must be a client id (a positive number), got 'x'.")]
    public async Task Refuses_a_bad_option_with_one_line_naming_it_and_exit_code_2(string arguments, string message)
    {
        await using var client = TestProcess.StartProject("Relay.Client", arguments.Split(' '));

        Assert.Equal(2, await client.WaitForExitAsync());
        Assert.Equal($"relay-client: {message} (see --help)", client.Transcript);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("send --help")]
    [InlineData("listen --help")]
    public async Task Help_lists_every_option_of_every_form(string arguments)
    {
        await using var client = TestProcess.StartProject("Relay.Client", arguments.Split(' '));

        Assert.Equal(0, await client.WaitForExitAsync());
        foreach (var option in new[] { "--host", "--port", "--nodes", "--json", "--udp", "--token" })
            Assert.Contains(option + " ", client.Transcript, StringComparison.Ordinal);
    }
}
