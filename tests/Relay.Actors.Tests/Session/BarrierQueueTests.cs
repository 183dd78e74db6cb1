using Relay.Actors.Session;

namespace Relay.Actors.Tests.Session;

public sealed class BarrierQueueTests
{
    private readonly BarrierQueue _queue = new();

    [Fact]
    public void Completes_at_once_when_nothing_was_sent_since_the_last_barrier()
    {
        var (_, blocks) = _queue.Start(BarrierPurpose.Ping);

        Assert.Empty(blocks);
        Assert.True(_queue.TryComplete(out var purpose));
        Assert.Equal(BarrierPurpose.Ping, purpose);
        Assert.False(_queue.IsWaiting);
    }

    [Fact]
    public void Waits_for_an_echo_from_every_block_written_to_since_the_last_barrier()
    {
        _queue.Touched(1);
        _queue.Touched(2);
        _queue.Touched(1);
        var (token, blocks) = _queue.Start(BarrierPurpose.Ping);

        Assert.Equal([1L, 2], blocks.Order());
        _queue.Echoed(token);
        Assert.False(_queue.TryComplete(out _));
        _queue.Echoed(token);
        Assert.True(_queue.TryComplete(out _));
    }

    [Fact]
    public void Releases_barriers_in_the_order_they_were_started()
    {
        _queue.Touched(7);
        var (first, _) = _queue.Start(BarrierPurpose.Ping);
        var (_, none) = _queue.Start(BarrierPurpose.Drain);
        Assert.Empty(none);

        Assert.False(_queue.TryComplete(out _));
        _queue.Echoed(first);
        Assert.True(_queue.TryComplete(out var a));
        Assert.True(_queue.TryComplete(out var b));
        Assert.Equal((BarrierPurpose.Ping, BarrierPurpose.Drain), (a, b));
    }

    [Fact]
    public void Gives_up_on_the_oldest_barrier_when_told_its_echo_will_not_come()
    {
        _queue.Touched(3);
        _queue.Start(BarrierPurpose.Ping);

        _queue.ExpireOldest();

        Assert.True(_queue.TryComplete(out _));
    }
}
