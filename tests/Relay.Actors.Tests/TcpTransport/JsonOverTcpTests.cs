using System.Net;
using System.Net.Sockets;
using System.Text;
using Relay.Testing;

namespace Relay.Actors.Tests.TcpTransport;

/// <summary>
/// One real node, real sockets: a connection whose first non-blank byte is <c>{</c> speaks JSON,
/// and talks freely with text clients.
/// </summary>
public sealed class JsonOverTcpTests : IAsyncLifetime
{
    // Every character a message carries byte for byte: quotes, backslashes, a control character,
    // a tab, non-ASCII, an emoji (as the text line has it, and as JSON writes it).
    private const string Tricky = "say \"hi\" \\ back\\slash \u0001 tab\there é 안녕 😀";
    private const string TrickyJson = """say \"hi\" \\ back\\slash \u0001 tab\there é 안녕 😀""";

    private RelayNode _node = null!;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task A_json_client_gets_YOUR_ID_as_text_then_the_json_hello_after_its_first_brace()
    {
        var (j, jId) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var _j = j;

        await j.SendAsync("""{"op":"ping","ref":"p1"}""" + "\n");

        Assert.Equal(Hello(jId), await j.ReadLineAsync());
        Assert.Equal("""{"op":"pong","ref":"p1"}""", await j.ReadLineAsync());
    }

    [Fact]
    public async Task Blank_lines_before_the_first_brace_leave_the_choice_to_it()
    {
        var (j, jId) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var _j = j;

        await j.SendAsync("\r\n\n" + """  {"op":"ping"}""" + "\n");

        Assert.Equal(Hello(jId), await j.ReadLineAsync());
        Assert.Equal("""{"op":"pong"}""", await j.ReadLineAsync());
    }

    [Fact]
    public async Task Whitespace_lines_before_the_first_brace_get_no_text_error_whichever_read_brings_the_brace()
    {
        // docs/protocol.md: a connection whose first non-blank byte is { speaks JSON "for its whole
        // life", and the node counts spaces and tabs as blank when it chooses. Sent in one write
        // (one read), these lines are skipped as JSON blank lines; in a read before the brace they
        // must not be answered as text commands either.
        var (j, jId) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var _j = j;

        await j.SendAsync("  \n\t\n");
        // A round trip through the node on another connection: not needed for a correct node, but
        // it makes the whitespace arrive in a read of its own, the case this test is about.
        var (other, _) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var _other = other;
        await j.SendAsync("""{"op":"ping"}""" + "\n");

        Assert.Equal(Hello(jId), await j.ReadLineAsync());
        Assert.Equal("""{"op":"pong"}""", await j.ReadLineAsync());
    }

    [Fact]
    public async Task The_hello_comes_as_soon_as_the_first_brace_arrives_before_its_line_ends()
    {
        var (j, jId) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var _j = j;
        // A blank line first: from then on the node waits for newlines, never cuts a partial line.
        await j.SendAsync("\n");

        await j.SendAsync("""{"op":"pi""");
        Assert.Equal(Hello(jId), await j.ReadLineAsync());

        await j.SendAsync("""ng","ref":"rest"}""" + "\n");
        Assert.Equal("""{"op":"pong","ref":"rest"}""", await j.ReadLineAsync());
    }

    [Fact]
    public async Task A_hello_as_the_first_object_is_answered_once_and_a_later_one_again()
    {
        var (j, jId) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var _j = j;

        await j.SendAsync("""{"op":"hello"}""" + "\n" + """{"op":"ping","ref":"p1"}""" + "\n");
        Assert.Equal(Hello(jId), await j.ReadLineAsync());
        Assert.Equal("""{"op":"pong","ref":"p1"}""", await j.ReadLineAsync());

        await j.SendAsync("""{"op":"hello","ref":"h2"}""" + "\n");
        Assert.Equal($$"""{"op":"hello","id":{{jId}},"ref":"h2"}""", await j.ReadLineAsync());
    }

    [Fact]
    public async Task A_text_client_stays_text_and_reads_json_objects_sent_to_it_as_text()
    {
        var (t, tId) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var _t = t;

        await t.SendAsync($"TO:{tId}:" + """{"op":"ping"}""" + "\n");
        Assert.Equal($"FROM:{tId}:" + """{"op":"ping"}""", await t.ReadLineAsync());

        await t.SendAsync("PING\n");
        Assert.Equal("PONG", await t.ReadLineAsync());
    }

    [Fact]
    public async Task A_json_message_reaches_a_text_client_byte_for_byte()
    {
        var (j, jId) = await ConnectJsonAsync(_node.ClientEndpoint);
        var (t, tId) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var _j = j;
        await using var _t = t;

        await j.SendAsync($$"""{"op":"to","to":{{tId}},"text":"{{TrickyJson}}"}""" + "\n");
        await j.SendAsync($$"""{"op":"to","to":{{tId}},"text":"caf\u00e9 \ud83d\ude00 \u0001\/"}""" + "\n");
        await j.SendAsync($$"""{"op":"to","to":{{tId}},"text":""}""" + "\n");

        Assert.Equal($"FROM:{jId}:{Tricky}", await t.ReadLineAsync());
        Assert.Equal($"FROM:{jId}:café 😀 \u0001/", await t.ReadLineAsync());
        Assert.Equal($"FROM:{jId}:", await t.ReadLineAsync());
    }

    [Fact]
    public async Task A_text_message_reaches_a_json_client_escaped_exactly()
    {
        var (j, jId) = await ConnectJsonAsync(_node.ClientEndpoint);
        var (t, tId) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var _j = j;
        await using var _t = t;

        await t.SendAsync($"TO:{jId}:{Tricky}\nTO:{jId}:carriage\rreturn and a:colon\nTO:{jId}:\n");

        Assert.Equal($$"""{"op":"from","from":{{tId}},"text":"{{TrickyJson}}"}""", await j.ReadLineAsync());
        Assert.Equal($$"""{"op":"from","from":{{tId}},"text":"carriage\rreturn and a:colon"}""", await j.ReadLineAsync());
        Assert.Equal($$"""{"op":"from","from":{{tId}},"text":""}""", await j.ReadLineAsync());
    }

    [Fact]
    public async Task A_json_message_reaches_a_json_client_escaped_exactly()
    {
        var (a, aId) = await ConnectJsonAsync(_node.ClientEndpoint);
        var (b, bId) = await ConnectJsonAsync(_node.ClientEndpoint);
        await using var _a = a;
        await using var _b = b;

        await a.SendAsync($$"""{"op":"to","to":{{bId}},"text":"{{TrickyJson}}"}""" + "\n");
        // Escapes a JSON writer may choose come out in the one canonical form.
        await a.SendAsync($$"""{"op":"to","to":{{bId}},"text":"caf\u00e9 \ud83d\ude00 \u0009\/"}""" + "\n");

        Assert.Equal($$"""{"op":"from","from":{{aId}},"text":"{{TrickyJson}}"}""", await b.ReadLineAsync());
        Assert.Equal($$"""{"op":"from","from":{{aId}},"text":"café 😀 \t/"}""", await b.ReadLineAsync());
    }

    [Fact]
    public async Task A_json_client_and_a_text_client_talk_in_a_room_and_by_broadcast_both_ways()
    {
        var (j, jId) = await ConnectJsonAsync(_node.ClientEndpoint);
        var (t, tId) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var _j = j;
        await using var _t = t;

        await j.SendAsync("""{"op":"join","room":"dev","ref":"j1"}""" + "\n");
        Assert.Equal("""{"op":"ok","command":"join","room":"dev","ref":"j1"}""", await j.ReadLineAsync());
        await t.SendAsync("JOIN:dev\n");
        Assert.Equal("OK:JOIN:dev", await t.ReadLineAsync());

        await j.SendAsync($$"""{"op":"room","room":"dev","text":"{{TrickyJson}}"}""" + "\n");
        Assert.Equal($"ROOM:dev:{jId}:{Tricky}", await t.ReadLineAsync());

        await t.SendAsync($"ROOM:dev:{Tricky}\n");
        Assert.Equal($$"""{"op":"room","room":"dev","from":{{tId}},"text":"{{TrickyJson}}"}""", await j.ReadLineAsync());

        await j.SendAsync($$"""{"op":"all","text":"{{TrickyJson}}"}""" + "\n");
        Assert.Equal($"ALL:{jId}:{Tricky}", await t.ReadLineAsync());

        await t.SendAsync($"ALL:{Tricky}\n");
        Assert.Equal($$"""{"op":"all","from":{{tId}},"text":"{{TrickyJson}}"}""", await j.ReadLineAsync());

        // Neither heard its own room message or broadcast.
        await j.SendAsync("""{"op":"ping","ref":"end"}""" + "\n");
        Assert.Equal("""{"op":"pong","ref":"end"}""", await j.ReadLineAsync());
        await t.SendAsync("PING\n");
        Assert.Equal("PONG", await t.ReadLineAsync());
    }

    [Fact]
    public async Task A_json_client_gets_its_receipt_with_the_ref_of_its_message()
    {
        var (j, jId) = await ConnectJsonAsync(_node.ClientEndpoint);
        var (t, tId) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var _j = j;
        await using var _t = t;

        await j.SendAsync($$"""{"op":"to","to":{{tId}},"text":"{{TrickyJson}}","ref":"a1"}""" + "\n");

        Assert.Equal($"FROM:{jId}:{Tricky}", await t.ReadLineAsync());
        Assert.Equal("""{"op":"delivered","ref":"a1"}""", await j.ReadLineAsync());
    }

    [Fact]
    public async Task A_json_client_is_told_its_message_to_an_unknown_id_was_not_delivered_with_the_ref()
    {
        var (j, _) = await ConnectJsonAsync(_node.ClientEndpoint);
        await using var _j = j;

        await j.SendAsync("""{"op":"to","to":77,"text":"anyone?","ref":"a2"}""" + "\n");
        Assert.Equal(
            """{"op":"error","code":"NOT_DELIVERED","cause":"UNKNOWN_TARGET","text":"no client 77","ref":"a2"}""",
            await j.ReadLineAsync());

        await j.SendAsync("""{"op":"to","to":77,"text":"anyone?"}""" + "\n");
        Assert.Equal("""{"op":"error","code":"UNKNOWN_TARGET","text":"no client 77"}""", await j.ReadLineAsync());
    }

    [Fact]
    public async Task A_json_recipient_of_a_text_clients_receipted_message_lets_the_receipt_through()
    {
        var (j, jId) = await ConnectJsonAsync(_node.ClientEndpoint);
        var (t, tId) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var _j = j;
        await using var _t = t;

        await t.SendAsync($"TOACK:x1:{jId}:{Tricky}\n");

        Assert.Equal($$"""{"op":"from","from":{{tId}},"text":"{{TrickyJson}}"}""", await j.ReadLineAsync());
        Assert.Equal("DELIVERED:x1", await t.ReadLineAsync());
    }

    [Fact]
    public async Task Echoes_the_ref_on_every_reply_ok_pong_lists_and_errors()
    {
        var (j, jId) = await ConnectJsonAsync(_node.ClientEndpoint);
        await using var _j = j;

        await j.SendAsync(
            """{"op":"watch","on":true,"ref":"w1"}""" + "\n" +
            """{"op":"join","room":"dev","ref":"j1"}""" + "\n" +
            """{"op":"who","ref":"who1"}""" + "\n" +
            """{"op":"members","room":"dev","ref":"m1"}""" + "\n" +
            """{"op":"rooms","ref":"r1"}""" + "\n" +
            """{"op":"leave","room":"nowhere","ref":"e1"}""" + "\n" +
            """{"op":"join","room":"nowhere","text":"x","ref":"e2"}""" + "\n" +
            """{"op":"nope","ref":"e3"}""" + "\n" +
            """{"op":"leave","room":"dev","ref":"l1"}""" + "\n" +
            """{"op":"watch","on":false,"ref":"w2"}""" + "\n" +
            """{"op":"ping","ref":"p1"}""" + "\n");

        Assert.Equal(
            [
                """{"op":"ok","command":"watch","on":true,"ref":"w1"}""",
                """{"op":"ok","command":"join","room":"dev","ref":"j1"}""",
                $$"""{"op":"who","total":1,"ids":[{{jId}}],"more":false,"ref":"who1"}""",
                $$"""{"op":"members","room":"dev","total":1,"ids":[{{jId}}],"more":false,"ref":"m1"}""",
                """{"op":"rooms","rooms":[{"room":"dev","members":1}],"more":false,"ref":"r1"}""",
                """{"op":"error","code":"NOT_MEMBER","text":"not in room nowhere; JOIN:nowhere first","ref":"e1"}""",
                """{"op":"error","code":"BAD_FORMAT","text":"field does not belong to this op: \"text\"","ref":"e2"}""",
                """{"op":"error","code":"UNKNOWN_COMMAND","text":"unknown op \"nope\"","ref":"e3"}""",
                """{"op":"ok","command":"leave","room":"dev","ref":"l1"}""",
                """{"op":"ok","command":"watch","on":false,"ref":"w2"}""",
                """{"op":"pong","ref":"p1"}""",
            ],
            await ReadLinesAsync(j, 11));
    }

    [Fact]
    public async Task Gives_each_pong_the_ref_of_its_own_ping_even_when_a_ping_waits_for_routing()
    {
        var (j, _) = await ConnectJsonAsync(_node.ClientEndpoint);
        await using var _j = j;

        // 150 is in a block nobody leased: the node asks a majority before answering, and the
        // PING after it waits for that answer.
        await j.SendAsync(
            """{"op":"ping","ref":"p1"}""" + "\n" +
            """{"op":"to","to":150,"text":"x"}""" + "\n" +
            """{"op":"ping"}""" + "\n" +
            """{"op":"ping","ref":"p3"}""" + "\n");

        Assert.Equal(
            [
                """{"op":"pong","ref":"p1"}""",
                """{"op":"error","code":"UNKNOWN_TARGET","text":"no client 150"}""",
                """{"op":"pong"}""",
                """{"op":"pong","ref":"p3"}""",
            ],
            await ReadLinesAsync(j, 4));
    }

    [Fact]
    public async Task A_delivery_never_takes_the_ref_of_the_command_whose_reply_it_goes_out_with()
    {
        var (j, jId) = await ConnectJsonAsync(_node.ClientEndpoint);
        var (t, _) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var _j = j;
        await using var _t = t;

        await j.SendAsync(
            $$"""{"op":"to","to":{{jId}},"text":"to self"}""" + "\n" +
            """{"op":"ping","ref":"p1"}""" + "\n");
        await t.SendAsync($"TO:{jId}:from text\n");
        await j.SendAsync("""{"op":"join","room":"dev","ref":"j1"}""" + "\n" + """{"op":"ping","ref":"p2"}""" + "\n");

        var lines = await ReadLinesAsync(j, 5);
        Assert.Contains($$"""{"op":"from","from":{{jId}},"text":"to self"}""", lines);
        Assert.Contains(lines, line => line.StartsWith("""{"op":"from","from":""", StringComparison.Ordinal) && line.EndsWith("""text":"from text"}""", StringComparison.Ordinal));
        Assert.Equal(
            ["""{"op":"pong","ref":"p1"}""", """{"op":"ok","command":"join","room":"dev","ref":"j1"}""", """{"op":"pong","ref":"p2"}"""],
            lines.Where(line => !line.StartsWith("""{"op":"from",""", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Tells_a_watching_json_client_who_comes_and_goes()
    {
        var (j, _) = await ConnectJsonAsync(_node.ClientEndpoint);
        await using var _j = j;
        await j.SendAsync("""{"op":"watch","on":true}""" + "\n");
        Assert.Equal("""{"op":"ok","command":"watch","on":true}""", await j.ReadLineAsync());

        var (t, tId) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        Assert.Equal($$"""{"op":"joined","id":{{tId}}}""", await j.ReadLineAsync());
        await using (t)
            await t.SendAsync("QUIT\n");

        Assert.Equal($$"""{"op":"left","id":{{tId}}}""", await j.ReadLineAsync());
    }

    [Fact]
    public async Task Answers_malformed_objects_with_error_objects_and_carries_on()
    {
        var (j, jId) = await ConnectJsonAsync(_node.ClientEndpoint);
        var (t, tId) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var _j = j;
        await using var _t = t;

        await j.SendAsync(
            "not json\n" +
            "[1,2]\n" +
            """{"op":"ping"} trailing""" + "\n" +
            """{"to":3}""" + "\n" +
            """{"op":"nope"}""" + "\n" +
            """{"op":"ping","bogus":1}""" + "\n" +
            """{"op":"to","to":0,"text":"x"}""" + "\n" +
            """{"op":"to","to":"2","text":"x"}""" + "\n" +
            """{"op":"join","room":"a b"}""" + "\n" +
            """{"op":"to","to":3,"text":"a\nb"}""" + "\n" +
            """{"op":"to","to":3,"text":"\ud800"}""" + "\n" +
            "  \t \n" +
            "PING\n");
        byte[] notUtf8 = [.. """{"op":"all","text":"bad """u8, 0xFF, .. "\"}\n"u8];
        await j.SendAsync(notUtf8);
        await j.SendAsync($$"""{"op":"to","to":{{tId}},"text":"still here"}""" + "\n" + """{"op":"ping","ref":"after"}""" + "\n");

        Assert.Equal(
            [
                """{"op":"error","code":"BAD_JSON","text":"not valid JSON (at byte 0)"}""",
                """{"op":"error","code":"BAD_JSON","text":"expected one JSON object per line, like {\"op\":\"ping\"}"}""",
                """{"op":"error","code":"BAD_JSON","text":"not valid JSON (at byte 14)"}""",
                """{"op":"error","code":"BAD_FORMAT","text":"missing field \"op\": every object says what it is, like {\"op\":\"ping\"}"}""",
                """{"op":"error","code":"UNKNOWN_COMMAND","text":"unknown op \"nope\""}""",
                """{"op":"error","code":"BAD_FORMAT","text":"unknown field \"bogus\""}""",
                """{"op":"error","code":"BAD_FORMAT","text":"\"to\" must be a client id: a positive integer of at most 18 digits"}""",
                """{"op":"error","code":"BAD_FORMAT","text":"\"to\" must be a client id: a positive integer of at most 18 digits"}""",
                """{"op":"error","code":"BAD_NAME","text":"rooms and refs are strings of 1-64 characters A-Z a-z 0-9 _ . - (written plainly)"}""",
                """{"op":"error","code":"BAD_FORMAT","text":"\"text\" cannot hold a line break (CR or LF): a text client could not receive it; send one message per line"}""",
                """{"op":"error","code":"BAD_ENCODING","text":"\"text\" holds an escape that is not a Unicode character"}""",
                """{"op":"error","code":"BAD_JSON","text":"not valid JSON (at byte 0)"}""",
                """{"op":"error","code":"BAD_ENCODING","text":"the line is not valid UTF-8"}""",
                """{"op":"pong","ref":"after"}""",
            ],
            await ReadLinesAsync(j, 14));
        Assert.Equal($"FROM:{jId}:still here", await t.ReadLineAsync());
    }

    [Fact]
    public async Task An_error_for_a_malformed_object_carries_the_ref_it_had_already_given()
    {
        // docs/protocol.md: the ref "is echoed on every reply to that object: its ok, error, list
        // page or pong" — here the ref was read before the unknown field was found.
        var (j, _) = await ConnectJsonAsync(_node.ClientEndpoint);
        await using var _j = j;

        await j.SendAsync("""{"op":"ping","ref":"p1","bogus":1}""" + "\n");

        Assert.Equal("""{"op":"error","code":"BAD_FORMAT","text":"unknown field \"bogus\"","ref":"p1"}""", await j.ReadLineAsync());
    }

    [Fact]
    public async Task Refuses_a_json_line_over_the_limit_as_TOO_LONG_and_carries_on()
    {
        var (j, jId) = await ConnectJsonAsync(_node.ClientEndpoint);
        var (t, _) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var _j = j;
        await using var _t = t;
        var max = _node.Settings.Connection.MaxLineBytes;
        const string start = "{\"op\":\"all\",\"text\":\"";
        const string end = "\"}";

        // One byte over (the JSON line counts, terminator excluded), then exactly at the limit.
        await j.SendAsync(start + new string('x', max + 1 - start.Length - end.Length) + end + "\n");
        await j.SendAsync("""{"op":"ping","ref":"p1"}""" + "\n");
        Assert.Equal($$"""{"op":"error","code":"TOO_LONG","text":"line longer than {{max}} bytes discarded"}""", await j.ReadLineAsync());
        Assert.Equal("""{"op":"pong","ref":"p1"}""", await j.ReadLineAsync());

        var fits = new string('y', max - start.Length - end.Length);
        await j.SendAsync(start + fits + end + "\n");
        Assert.Equal($"ALL:{jId}:{fits}", await t.ReadLineAsync());
    }

    [Fact]
    public async Task Refuses_a_2_MiB_json_line_as_TOO_LONG_and_keeps_the_connection_working()
    {
        var (j, jId) = await ConnectJsonAsync(_node.ClientEndpoint);
        var (t, tId) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var _j = j;
        await using var _t = t;

        var huge = new byte[2 * 1024 * 1024];
        huge.AsSpan().Fill((byte)'x');
        await j.SendAsync($"{{\"op\":\"to\",\"to\":{tId},\"text\":\"");
        await j.SendAsync(huge);
        await j.SendAsync("\"}\n" + $$"""{"op":"to","to":{{tId}},"text":"after the long one"}""" + "\n");

        Assert.Equal(
            $$"""{"op":"error","code":"TOO_LONG","text":"line longer than {{_node.Settings.Connection.MaxLineBytes}} bytes discarded"}""",
            await j.ReadLineAsync());
        Assert.Equal($"FROM:{jId}:after the long one", await t.ReadLineAsync());
    }

    [Fact]
    public async Task Sends_the_replies_before_closing_when_quit_follows_in_the_same_write()
    {
        var (j, jId) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var _j = j;

        // The switch, replies, a receipt to await and QUIT, all in one write.
        await j.SendAsync(
            """{"op":"join","room":"dev","ref":"j1"}""" + "\n" +
            $$"""{"op":"to","to":{{jId}},"text":"note to self","ref":"a1"}""" + "\n" +
            """{"op":"who","ref":"w1"}""" + "\n" +
            """{"op":"ping","ref":"p1"}""" + "\n" +
            """{"op":"quit","ref":"q1"}""" + "\n" +
            """{"op":"ping","ref":"ignored after quit"}""" + "\n");

        var lines = new List<string>();
        for (var line = await j.TryReadLineAsync(); line is not null; line = await j.TryReadLineAsync())
            lines.Add(line);

        var ok = """{"op":"ok","command":"join","room":"dev","ref":"j1"}""";
        var from = $$"""{"op":"from","from":{{jId}},"text":"note to self"}""";
        var delivered = """{"op":"delivered","ref":"a1"}""";
        var who = $$"""{"op":"who","total":1,"ids":[{{jId}}],"more":false,"ref":"w1"}""";
        var pong = """{"op":"pong","ref":"p1"}""";
        Assert.Equal(Hello(jId), lines[0]);
        Assert.Equal(new[] { ok, from, delivered, who, pong }.Order(), lines.Skip(1).Order());
        // Replies come in order; the message to itself is a delivery (it may overtake or follow
        // them), and its receipt comes once the socket took it.
        Assert.True(lines.IndexOf(ok) < lines.IndexOf(who) && lines.IndexOf(who) < lines.IndexOf(pong), string.Join('\n', lines));
        Assert.True(lines.IndexOf(from) < lines.IndexOf(delivered), string.Join('\n', lines));
    }

    [Fact]
    public async Task Sends_the_replies_before_closing_when_the_client_disconnects_after_its_last_object()
    {
        var (j, jId) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var _j = j;

        // As `printf '{…}\n{…}' | nc -N host port` does: the last object unterminated, then FIN.
        await j.SendAsync(
            """{"op":"join","room":"dev","ref":"j1"}""" + "\n" +
            """{"op":"leave","room":"nowhere","ref":"e1"}""" + "\n" +
            """{"op":"ping","ref":"last"}""");
        j.Socket.Shutdown(SocketShutdown.Send);

        Assert.Equal(
            [
                Hello(jId),
                """{"op":"ok","command":"join","room":"dev","ref":"j1"}""",
                """{"op":"error","code":"NOT_MEMBER","text":"not in room nowhere; JOIN:nowhere first","ref":"e1"}""",
                """{"op":"pong","ref":"last"}""",
            ],
            await ReadLinesAsync(j, 4));
        Assert.Null(await j.TryReadLineAsync());
    }

    [Fact]
    public async Task Answers_in_order_when_more_input_follows_in_the_same_read()
    {
        var (j, jId) = await ConnectJsonAsync(_node.ClientEndpoint);
        var (t, tId) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var _j = j;
        await using var _t = t;

        await j.SendAsync(
            """{"op":"join","room":"a","ref":"1"}""" + "\n" +
            $$"""{"op":"to","to":{{tId}},"text":"between"}""" + "\n" +
            """{"op":"who","ref":"2"}""" + "\n" +
            "oops\n" +
            """{"op":"leave","room":"a","ref":"3"}""" + "\n" +
            """{"op":"ping","ref":"4"}""" + "\n" +
            """{"op":"ping","ref":"5"}""" + "\n" +
            // The start of the next object: the replies above must not wait for its end.
            """{"op":"pi""");

        Assert.Equal(
            [
                """{"op":"ok","command":"join","room":"a","ref":"1"}""",
                $$"""{"op":"who","total":2,"ids":[{{jId}},{{tId}}],"more":false,"ref":"2"}""",
                """{"op":"error","code":"BAD_JSON","text":"not valid JSON (at byte 0)"}""",
                """{"op":"ok","command":"leave","room":"a","ref":"3"}""",
                """{"op":"pong","ref":"4"}""",
                """{"op":"pong","ref":"5"}""",
            ],
            await ReadLinesAsync(j, 6));
        Assert.Equal($"FROM:{jId}:between", await t.ReadLineAsync());

        await j.SendAsync("""ng","ref":"6"}""" + "\n");
        Assert.Equal("""{"op":"pong","ref":"6"}""", await j.ReadLineAsync());
    }

    [Fact]
    public async Task Relays_2000_json_messages_to_a_text_client_complete_and_in_order()
    {
        var (j, jId) = await ConnectJsonAsync(_node.ClientEndpoint);
        var (t, tId) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var _j = j;
        await using var _t = t;

        await j.SendAsync(string.Concat(Enumerable.Range(0, 2000).Select(i => $$"""{"op":"to","to":{{tId}},"text":"#{{i}} \"q\""}""" + "\n")));

        for (var i = 0; i < 2000; i++)
            Assert.Equal($"FROM:{jId}:#{i} \"q\"", await t.ReadLineAsync());
    }

    private static string Hello(long id) => $$"""{"op":"hello","id":{{id}}}""";

    /// <summary>Connects and switches to JSON with a ping: the hello and the pong are awaited.</summary>
    private static async Task<(LineSocket Socket, long Id)> ConnectJsonAsync(EndPoint endpoint)
    {
        var (socket, id) = await LineSocket.ConnectClientAsync(endpoint);
        await socket.SendAsync("""{"op":"ping","ref":"switch"}""" + "\n");
        Assert.Equal(Hello(id), await socket.ReadLineAsync());
        Assert.Equal("""{"op":"pong","ref":"switch"}""", await socket.ReadLineAsync());
        return (socket, id);
    }

    private static async Task<List<string>> ReadLinesAsync(LineSocket socket, int count)
    {
        var lines = new List<string>();
        for (var i = 0; i < count; i++)
            lines.Add(await socket.ReadLineAsync());
        return lines;
    }
}
