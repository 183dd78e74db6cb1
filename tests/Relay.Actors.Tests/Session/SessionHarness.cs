using System.Collections.Immutable;
using System.Text;
using Akka.Actor;
using Akka.Event;
using Akka.IO;
using Akka.TestKit;
using Relay.Actors.Ids;
using Relay.Actors.Metrics;
using Relay.Actors.Presence;
using Relay.Actors.Registry;
using Relay.Actors.Session;

namespace Relay.Actors.Tests.Session;

/// <summary>
/// A <see cref="ClientSession"/> driven without any socket: the transport and the timers are
/// recorded, the node's actors are test probes, and every event is a direct call.
/// </summary>
internal sealed class SessionHarness : ISessionTransport, ISessionTimers
{
    public static readonly Address ThisNode = new("akka.tcp", "relay", "127.0.0.1", 4053);

    public static readonly Address OtherNode = new("akka.tcp", "relay", "127.0.0.1", 4999);

    private readonly StringBuilder _received = new();
    private readonly Dictionary<SessionTimer, TimeSpan> _timers = new();
    private ByteString? _inFlight;

    public SessionHarness(
        TestKitBase kit, string? hocon = null, LocalClients? local = null, RoutingTable? routes = null, ClusterPresence? presence = null)
    {
        IdPool = kit.CreateTestProbe();
        Registry = kit.CreateTestProbe();
        LeaseDirectory = kit.CreateTestProbe();
        Connection = kit.CreateTestProbe();
        Fanout = kit.CreateTestProbe();
        Presence = presence ?? new ClusterPresence(new NodePresence());
        Local = local ?? new LocalClients();
        Routes = routes ?? new RoutingTable(ThisNode);
        Settings = ConnectionSettings.Create(RelayNode.LoadConfig(overrides: hocon));
        var services = new NodeServices(IdPool.Ref, Registry.Ref, LeaseDirectory.Ref, Routes, new IdBlocks(100), Local, Fanout.Ref, Presence, new NodeCounters());
        Session = new ClientSession(Connection.Ref, "test peer", ClientTransport.Tcp, services, Settings, this, this, NoLogger.Instance);
    }

    public TestProbe IdPool { get; }

    public TestProbe Registry { get; }

    public TestProbe LeaseDirectory { get; }

    /// <summary>Stands for the node's fan-out actor.</summary>
    public TestProbe Fanout { get; }

    public ClusterPresence Presence { get; }

    /// <summary>Stands for the transport actor: what the node sends this client arrives here.</summary>
    public TestProbe Connection { get; }

    public LocalClients Local { get; }

    public RoutingTable Routes { get; }

    public ConnectionSettings Settings { get; }

    public ClientSession Session { get; }

    /// <summary>A read is outstanding: the session asked for input and has not had it.</summary>
    public bool InputRequested { get; private set; }

    public int InputRequests { get; private set; }

    public bool Closed { get; private set; }

    public bool Aborted { get; private set; }

    public bool WriteInFlight => _inFlight is not null;

    /// <summary>Starts the session and completes its registration as the node would: id, record, YOUR_ID.</summary>
    public SessionHarness Register(long clientId)
    {
        Session.Start();
        IdPool.ExpectMsg<AssignId>();
        Session.Handle(new IdAssigned(clientId));
        Registry.ExpectMsg<RegisterClient>(register => register.ClientId == clientId);
        Session.Handle(new ClientRegistered(clientId));
        if (TakeOutput() != $"YOUR_ID:{clientId}\n")
            throw new InvalidOperationException("no YOUR_ID line");
        return this;
    }

    /// <summary>Feeds one read's worth of bytes, as the transport would after a requested read.</summary>
    public void Input(string text) => Input(Encoding.UTF8.GetBytes(text));

    public void Input(byte[] bytes)
    {
        if (!InputRequested)
            throw new InvalidOperationException("the session did not ask for input");
        InputRequested = false;
        Session.OnInput(bytes);
    }

    public void EndOfInput()
    {
        InputRequested = false;
        Session.OnEndOfInput();
    }

    /// <summary>Lets the client's socket take every write, and returns all the session wrote so far.</summary>
    public string TakeOutput()
    {
        while (_inFlight is not null)
        {
            _inFlight = null;
            Session.OnWriteCompleted();
        }
        var text = _received.ToString();
        _received.Clear();
        return text;
    }

    /// <summary>Hands the session what was told to its actor so far (deliveries, receipts), as the actor would.</summary>
    public SessionHarness ProcessMailbox()
    {
        while (Connection.HasMessages)
            Session.Handle(Connection.ReceiveOne(TimeSpan.Zero)!);
        return this;
    }

    public bool IsRunning(SessionTimer timer) => _timers.ContainsKey(timer);

    /// <summary>Fires a running timer.</summary>
    public void Fire(SessionTimer timer)
    {
        if (!_timers.Remove(timer))
            throw new InvalidOperationException($"timer {timer} is not running");
        Session.Handle(new SessionTimerFired(timer));
    }

    /// <summary>Makes ids 1–100 (block 0) this node's and ids 101–200 (block 1) another reachable node's.</summary>
    public SessionHarness WithKnownBlocks()
    {
        Routes.SetOwners(ImmutableDictionary<long, Address>.Empty.Add(0, ThisNode).Add(1, OtherNode), nextBlock: 2);
        Routes.SetReachable([ThisNode, OtherNode]);
        return this;
    }

    /// <summary>Ids 1–200 were leased to a node that is gone: messages to them are answered at once.</summary>
    public SessionHarness WithBlocksOfAGoneNode()
    {
        Routes.SetOwners(ImmutableDictionary<long, Address>.Empty.Add(0, OtherNode).Add(1, OtherNode), nextBlock: 2);
        Routes.SetReachable([]);
        return this;
    }

    void ISessionTransport.Write(ByteString data)
    {
        if (_inFlight is not null)
            throw new InvalidOperationException("a second write while one is in flight");
        if (Closed || Aborted)
            throw new InvalidOperationException("a write after close");
        _inFlight = data;
        _received.Append(data.ToString(Encoding.UTF8));
        // The socket takes the write when the test lets it (TakeOutput); the ack comes then.
    }

    void ISessionTransport.RequestInput()
    {
        if (InputRequested)
            throw new InvalidOperationException("a second read requested while one is outstanding");
        InputRequested = true;
        InputRequests++;
    }

    void ISessionTransport.Close()
    {
        if (_inFlight is not null)
            throw new InvalidOperationException("closed with a write in flight");
        Closed = true;
    }

    void ISessionTransport.Abort() => Aborted = true;

    void ISessionTimers.Start(SessionTimer timer, TimeSpan after) => _timers[timer] = after;

    void ISessionTimers.Cancel(SessionTimer timer) => _timers.Remove(timer);
}
