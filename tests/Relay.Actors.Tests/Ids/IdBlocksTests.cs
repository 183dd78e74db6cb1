using Relay.Actors.Ids;

namespace Relay.Actors.Tests.Ids;

public sealed class IdBlocksTests
{
    [Theory]
    [InlineData(1, 0)]
    [InlineData(100, 0)]
    [InlineData(101, 1)]
    [InlineData(250, 2)]
    public void Maps_an_id_to_its_block(long id, long block) => Assert.Equal(block, new IdBlocks(100).BlockOf(id));

    [Fact]
    public void Gives_each_block_its_own_range_of_ids()
    {
        var blocks = new IdBlocks(100);

        Assert.Equal((1L, 100L), (blocks.FirstIdOf(0), blocks.LastIdOf(0)));
        Assert.Equal((201L, 300L), (blocks.FirstIdOf(2), blocks.LastIdOf(2)));
        Assert.All(Enumerable.Range(1, 1000), id => Assert.InRange(id, blocks.FirstIdOf(blocks.BlockOf(id)), blocks.LastIdOf(blocks.BlockOf(id))));
    }
}
