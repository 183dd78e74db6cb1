using System.Text;

namespace Relay.Bench.Tests;

/// <summary>The load tool writes and reads both protocols through the project's codec, without strings per message.</summary>
public sealed class BenchWireTests
{
    private static readonly byte[] Payload = BenchWire.Payload(20, digits: 10);

    [Fact]
    public void A_text_message_is_a_TO_line_with_its_payload_located()
    {
        var line = BenchWire.MessageTemplate(json: false, 42, Payload, out var offset);

        Assert.Equal("TO:42:0000000000xxxxxxxxxx\n", Encoding.ASCII.GetString(line));
        Assert.Equal("TO:42:".Length, offset);
    }

    [Fact]
    public void A_JSON_message_is_the_to_object_with_its_payload_located()
    {
        var line = BenchWire.MessageTemplate(json: true, 42, Payload, out var offset);

        Assert.Equal("{\"op\":\"to\",\"to\":42,\"text\":\"0000000000xxxxxxxxxx\"}\n", Encoding.ASCII.GetString(line));
        Assert.Equal("0000000000xxxxxxxxxx", Encoding.ASCII.GetString(line, offset, Payload.Length));
    }

    [Theory]
    [InlineData(false, "FROM:7:0000000001xx", "From", "0000000001xx")]
    [InlineData(true, "{\"op\":\"from\",\"from\":7,\"text\":\"0000000001xx\"}", "From", "0000000001xx")]
    [InlineData(true, "{\"from\":7,\"text\":\"0000000001xx\",\"op\":\"from\",\"future\":[1,{\"a\":2}]}", "From", "0000000001xx")]
    [InlineData(false, "YOUR_ID:7", "Greeting", "")]
    [InlineData(true, "YOUR_ID:7", "Greeting", "")]
    [InlineData(true, "{\"op\":\"hello\",\"id\":7}", "Greeting", "")]
    [InlineData(true, "{\"op\":\"pong\"}", "Greeting", "")]
    [InlineData(false, "ERROR:UNKNOWN_TARGET:no client 9", "Other", "no client 9")]
    [InlineData(true, "{\"op\":\"error\",\"code\":\"UNKNOWN_TARGET\",\"text\":\"no client 9\"}", "Other", "no client 9")]
    [InlineData(true, "{\"op\":", "Other", "")]
    public void Reads_what_a_line_is(bool json, string line, string kind, string text)
    {
        // The kind by name: the enum is internal to the load tool.
        Assert.Equal(kind, BenchWire.Read(json, Encoding.UTF8.GetBytes(line), out var read).ToString());
        if (kind != nameof(ReceivedKind.Greeting))
            Assert.Equal(text, Encoding.UTF8.GetString(read));
    }

    [Theory]
    [InlineData("YOUR_ID:7", false, 7L)]
    [InlineData("YOUR_ID:7", true, null)]
    [InlineData("{\"op\":\"hello\",\"id\":7}", true, 7L)]
    [InlineData("{\"op\":\"pong\"}", false, null)]
    [InlineData("FROM:7:hi", false, null)]
    public void Reads_the_id_of_a_greeting(string line, bool jsonOnly, long? id) =>
        Assert.Equal(id, BenchWire.GreetingId(Encoding.UTF8.GetBytes(line), jsonOnly));
}
