namespace Relay.Bench.Tests;

/// <summary>What a soak's short-lived client sends, and what it must get back.</summary>
public sealed class ChurnCycleTests
{
    [Fact]
    public void Nine_cycles_cover_every_action_with_every_way_of_leaving()
    {
        var pairs = Enumerable.Range(0, 9).Select(n => (ChurnCycle.ActionOf(n), ChurnCycle.LeaveOf(n))).Distinct().Count();

        Assert.Equal(9, pairs);
    }

    [Theory]
    [InlineData(0, "TO:42:churn0\nPING\n")]
    [InlineData(1, "JOIN:churn-1\nROOM:churn-1:churn1\nLEAVE:churn-1\nPING\n")]
    [InlineData(2, "WHO\nPING\n")]
    public void Each_action_is_its_lines_then_a_PING(int number, string lines)
    {
        Assert.Equal(lines, ChurnCycle.Commands(number, 42));
    }

    [Fact]
    public void The_answers_it_expects_pass()
    {
        Assert.Null(ChurnCycle.Check(0, 42, ["FROM:42:churn0", "PONG"]));
        Assert.Null(ChurnCycle.Check(0, 42, ["PONG", "FROM:42:churn0"]));
        Assert.Null(ChurnCycle.Check(1, 42, ["OK:JOIN:churn-1", "ROOM:churn-1:77:churn5", "OK:LEAVE:churn-1", "PONG"]));
        Assert.Null(ChurnCycle.Check(2, 42, ["WHO:3:1,2,42", "PONG"]));
    }

    [Theory]
    [InlineData(0, new[] { "FROM:42:churn0" }, "no PONG")]
    [InlineData(0, new[] { "PONG" }, "its message to itself arrived 0 times")]
    [InlineData(0, new[] { "PONG", "FROM:42:churn0", "FROM:42:churn0" }, "its message to itself arrived 2 times")]
    [InlineData(0, new[] { "ERROR:UNKNOWN_TARGET:no client 42", "PONG" }, "got ERROR:UNKNOWN_TARGET:no client 42")]
    [InlineData(1, new[] { "ROOM:churn-1:77:x", "OK:JOIN:churn-1", "OK:LEAVE:churn-1", "PONG" }, "'ROOM:churn-1:77:x' before its OK:JOIN")]
    [InlineData(1, new[] { "OK:JOIN:churn-1", "ROOM:churn-1:42:churn1", "OK:LEAVE:churn-1", "PONG" }, "its own room message came back to it")]
    [InlineData(2, new[] { "WHO:3:1,2,42", "PONG", "PONG" }, "two PONGs")]
    [InlineData(2, new[] { "PONG", "WHO:3:1,2,42" }, "'WHO:3:1,2,42' after the PONG")]
    [InlineData(2, new[] { "FROM:9:hi", "WHO:3:1,2,42", "PONG" }, "unexpected line 'FROM:9:hi'")]
    public void Anything_else_is_named(int number, string[] lines, string problem)
    {
        Assert.Equal(problem, ChurnCycle.Check(number, 42, lines));
    }
}
