using Relay.Actors.Overview;
using Relay.Actors.Session;

namespace Relay.Actors.Cluster;

/// <summary>
/// The binary form of the dashboard's cross-node messages. They go once a second or once per page
/// view, never per relayed message, so they are written for clarity (BinaryWriter) rather than
/// for speed.
/// </summary>
internal static class OverviewBytes
{
    public static byte[] Of(NodeReport report)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(report.ClientEndpoint);
            writer.Write(report.Clients);
            writer.Write(report.Blocks);
            writer.Write(report.MessagesIn);
            writer.Write(report.MessagesOut);
            writer.Write(report.Tcp);
            writer.Write(report.Udp);
            writer.Write(report.WebSocket);
        }

        return stream.ToArray();
    }

    public static NodeReport ReportFrom(byte[] bytes)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes));
        return new NodeReport(
            reader.ReadString(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt64(), reader.ReadInt64(),
            reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32());
    }

    public static byte[] Of(ClientDetailsReply reply)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(reply.Clients.Length);
            foreach (var client in reply.Clients)
            {
                writer.Write(client.Id);
                writer.Write((byte)client.Transport);
                writer.Write(client.Json);
                writer.Write(client.Remote);
                writer.Write(client.ConnectedAt.ToUnixTimeMilliseconds());
                writer.Write(client.MessagesIn);
                writer.Write(client.MessagesOut);
                writer.Write(client.Rooms.Length);
                foreach (var room in client.Rooms)
                    writer.Write(room);
            }
        }

        return stream.ToArray();
    }

    public static ClientDetailsReply ReplyFrom(byte[] bytes)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes));
        var clients = new ClientDetails[reader.ReadInt32()];
        for (var i = 0; i < clients.Length; i++)
        {
            var id = reader.ReadInt64();
            var transport = (ClientTransport)reader.ReadByte();
            var json = reader.ReadBoolean();
            var remote = reader.ReadString();
            var connectedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.ReadInt64());
            var messagesIn = reader.ReadInt64();
            var messagesOut = reader.ReadInt64();
            var rooms = new string[reader.ReadInt32()];
            for (var r = 0; r < rooms.Length; r++)
                rooms[r] = reader.ReadString();
            clients[i] = new ClientDetails(id, transport, json, remote, connectedAt, messagesIn, messagesOut, rooms);
        }

        return new ClientDetailsReply(clients);
    }
}
