namespace Relay.Bench.Tests;

/// <summary>How the soak reads the script's word that the restart it asked for is done.</summary>
public sealed class SoakWorkloadTests
{
    [Theory]
    [InlineData("2 12345\n", true, 1, 12345)]
    [InlineData("4 12345", false, 0, 0)]
    [InlineData("2", false, 0, 0)]
    [InlineData("x 1", false, 0, 0)]
    public void The_scripts_restart_answer_is_a_node_number_and_a_pid(string text, bool valid, int node, int pid)
    {
        Assert.Equal(valid, SoakWorkload.TryParseRestarted(text, nodes: 3, out var parsedNode, out var parsedPid));
        Assert.Equal((node, pid), (parsedNode, parsedPid));
    }
}
