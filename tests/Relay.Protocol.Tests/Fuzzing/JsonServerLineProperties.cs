using System.Buffers;
using System.Text;
using System.Text.Json;
using Relay.Protocol.Json;
using Xunit.Abstractions;

namespace Relay.Protocol.Tests.Fuzzing;

/// <summary>The JSON form of server lines (<see cref="JsonServerLines"/>): every line a node writes, and anything a client may read.</summary>
[Collection(PropertiesCollection.Name)]
public sealed class JsonServerLineProperties(ITestOutputHelper output)
{
    [Property]
    public void Every_server_line_becomes_one_json_object_and_reads_back_as_the_same_line_and_ref() =>
        Fuzz.Check(output, 1000, g =>
        {
            var line = g.Show("line", ServerOutput.Line(g, out var reference));
            g.Show("ref", reference);
            var json = new ArrayBufferWriter<byte>();
            var text = new ArrayBufferWriter<byte>();

            JsonServerLines.ToJson(line, reference, json);

            var written = g.Show("json", json.WrittenSpan.ToArray());
            Assert.Equal(written.Length - 1, Array.IndexOf(written, (byte)'\n'));
            using (var parsed = JsonDocument.Parse(written))
                Assert.Equal(JsonValueKind.Object, parsed.RootElement.ValueKind);
            Assert.True(JsonServerLines.ToText(written.AsSpan(..^1), text, out var read));
            Assert.Equal(Encoding.UTF8.GetString(line), Encoding.UTF8.GetString(text.WrittenSpan));
            Assert.Equal(Convert.ToHexString(line), Convert.ToHexString(text.WrittenSpan));
            Assert.Equal(reference.Length == 0 ? null : Encoding.ASCII.GetString(reference), read);
        });

    [Property]
    public void Json_server_codec_writes_one_line_for_any_line_without_throwing() =>
        Fuzz.Check(output, 1000, g =>
        {
            var raw = g.Below(3) switch
            {
                0 => g.RandomBytes(g.Length()),
                1 => g.ProtocolishBytes(g.Length()),
                _ => Mutations.Mutate(g, ServerOutput.Line(g, out _)),
            };
            // A line never holds a line feed: it is what the node wrote before one.
            var line = g.Show("line", raw.Where(b => b != (byte)'\n').ToArray());
            var reference = g.Show("ref", g.Bool() ? [] : g.ProtocolishBytes(g.Below(8)));

            var written = ToJson(line, reference);

            Assert.Equal(written.Length - 1, Array.IndexOf(written, (byte)'\n'));
        });

    [Property]
    public void Json_server_codec_reads_any_object_without_throwing_and_writes_only_what_it_translates() =>
        Fuzz.Check(output, 1000, g =>
        {
            var json = g.Show("json", g.Below(3) switch
            {
                0 => JsonNoise.ServerObject(g),
                1 => Mutations.Mutate(g, JsonNoise.ServerObject(g)),
                _ => Mutations.Mutate(g, ToJson(ServerOutput.Line(g, out var lineRef), lineRef)[..^1]),
            });
            var text = new ArrayBufferWriter<byte>();

            var translated = JsonServerLines.ToText(json, text, out _);

            // A line feed may stand in what it writes ({"op":"line","text":"a\nb"}): the client library
            // parses the translation as it stands, never frames it again.
            Assert.True(translated || text.WrittenCount == 0, "nothing written for what is not a server object");
        });

    private static byte[] ToJson(byte[] line, byte[] reference)
    {
        var json = new ArrayBufferWriter<byte>();
        JsonServerLines.ToJson(line, reference, json);
        return json.WrittenSpan.ToArray();
    }
}
