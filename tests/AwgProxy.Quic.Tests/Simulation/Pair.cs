using System.Net;
using AwgProxy.Quic.Connections;

namespace AwgProxy.Quic.Tests.Simulation;

/// <summary>
/// A client endpoint and a server endpoint exchanging datagrams over two <see cref="SimulatedLink"/>s in virtual
/// time. <see cref="Step"/> advances to the earliest of the next delivery and the connections' timeouts; every step
/// flushes transmits, delivers due datagrams, fires due timeouts and polls events. <see cref="Drive"/> fails the test
/// when its condition is not met within a bound of virtual time and steps, so nothing can hang.
/// </summary>
internal sealed class Pair : IDisposable
{
    private readonly byte[] _buffer = new byte[65536];
    private readonly byte[] _response = new byte[4096];
    private int _stalledSteps;

    public Pair(
        int seed = 1,
        ClientConnectionOptions? client = null,
        ServerConnectionOptions? server = null,
        Action<EndpointOptions>? configureServerEndpoint = null,
        Action<EndpointOptions>? configureClientEndpoint = null)
    {
        ToServer = new SimulatedLink(seed * 7919 + 1);
        ToClient = new SimulatedLink(seed * 7919 + 2);
        ClientOptions = client ?? TestPeers.Client(seed);
        ServerOptions = server ?? TestPeers.Server(seed + 1000);
        var serverEndpoint = new EndpointOptions { Server = ServerOptions, Random = TestPeers.SeededRandom(seed + 2000) };
        configureServerEndpoint?.Invoke(serverEndpoint);
        var clientEndpoint = new EndpointOptions { Random = TestPeers.SeededRandom(seed + 3000) };
        configureClientEndpoint?.Invoke(clientEndpoint);
        ServerEndpoint = new Endpoint(serverEndpoint);
        ClientEndpoint = new Endpoint(clientEndpoint);
        ClientAddress = TestPeers.ClientAddress;
        ServerAddress = TestPeers.ServerAddress;
    }

    public Instant Now { get; private set; } = Instant.FromMilliseconds(1000);

    public ClientConnectionOptions ClientOptions { get; }

    public ServerConnectionOptions ServerOptions { get; }

    public Endpoint ClientEndpoint { get; }

    public Endpoint ServerEndpoint { get; }

    /// <summary>The client's address as the server sees it; change it to simulate a NAT rebinding.</summary>
    public SocketAddress ClientAddress { get; set; }

    public SocketAddress ServerAddress { get; }

    public SimulatedLink ToServer { get; }

    public SimulatedLink ToClient { get; }

    public Connection? ClientOrNull { get; private set; }

    public Connection Client => ClientOrNull ?? throw new InvalidOperationException("Not connected yet.");

    public List<Connection> ServerConnections { get; } = [];

    public Connection Server => ServerConnections.Count > 0 ? ServerConnections[0] : throw new InvalidOperationException("No server connection yet.");

    public bool HasServer => ServerConnections.Count > 0;

    public List<ConnectionEvent> ClientEvents { get; } = [];

    public List<ConnectionEvent> ServerEvents { get; } = [];

    /// <summary>Every result of the server endpoint's HandleDatagram, in order.</summary>
    public List<EndpointReceiveResult> ServerResults { get; } = [];

    public List<EndpointReceiveResult> ClientResults { get; } = [];

    /// <summary>Called for each event as it is polled.</summary>
    public Action<Connection, ConnectionEvent>? OnEvent { get; set; }

    /// <summary>Called once per step, after events: drive applications here (stream pumps).</summary>
    public Action? OnStep { get; set; }

    /// <summary>When false, the client connection is not polled for transmits (its datagrams are withheld).</summary>
    public bool ClientSends { get; set; } = true;

    public int Steps { get; private set; }

    public Connection Connect()
    {
        ClientOrNull = ClientEndpoint.Connect(Now, ClientOptions, ServerAddress);
        Flush();
        return Client;
    }

    public IEnumerable<Connection> AllConnections
    {
        get
        {
            if (ClientOrNull is { } client) yield return client;
            foreach (Connection connection in ServerConnections) yield return connection;
        }
    }

    /// <summary>One step of the simulation; false when nothing is scheduled any more.</summary>
    public bool Step()
    {
        Steps++;
        Flush();
        Instant next = NextEventTime();
        if (next.IsNever) return false;
        if (next > Now)
        {
            Now = next;
            _stalledSteps = 0;
        }
        else if (++_stalledSteps > 1000)
        {
            // A connection whose deadline stays in the past while it is polled is a busy loop in the making.
            Assert.Fail($"Virtual time does not advance: some deadline stays at or before {Now}. {Describe()}");
        }

        Deliver();
        foreach (Connection connection in AllConnections)
        {
            if (connection.NextTimeout <= Now) connection.HandleTimeout(Now);
        }

        Flush();
        return true;
    }

    /// <summary>Steps until <paramref name="condition"/> holds; fails the test after <paramref name="maxVirtualTime"/> or <paramref name="maxSteps"/>.</summary>
    public void Drive(Func<bool> condition, TimeSpan? maxVirtualTime = null, string? what = null, int maxSteps = 400_000)
    {
        TimeSpan limit = maxVirtualTime ?? TimeSpan.FromSeconds(60);
        Instant deadline = Now + limit;
        for (int steps = 0; ; steps++)
        {
            if (condition()) return;
            if (Now > deadline || steps >= maxSteps)
            {
                Assert.Fail($"{what ?? "The condition"} was not reached within {limit.TotalSeconds:0.###} s of virtual time ({steps} steps). {Describe()}");
            }

            if (!Step())
            {
                if (condition()) return;
                Assert.Fail($"{what ?? "The condition"} was not reached: the simulation went idle at {Now}. {Describe()}");
            }
        }
    }

    /// <summary>Runs the simulation for a span of virtual time (or until idle).</summary>
    public void RunFor(TimeSpan duration)
    {
        Instant end = Now + duration;
        while (Now < end)
        {
            Flush();
            Instant next = NextEventTime();
            if (next > end || next.IsNever)
            {
                Now = end;
                return;
            }

            Step();
        }
    }

    /// <summary>The earliest delivery or deadline. A client that is not polled (its datagrams withheld) cannot clear due ACKs, so its past deadlines count as 1 ms ahead.</summary>
    private Instant NextEventTime()
    {
        Instant next = Instant.Min(ToServer.NextDelivery, ToClient.NextDelivery);
        foreach (Connection connection in AllConnections)
        {
            Instant deadline = connection.NextTimeout;
            if (connection == ClientOrNull && !ClientSends && deadline <= Now) deadline = Now + TimeSpan.FromMilliseconds(1);
            next = Instant.Min(next, deadline);
        }

        return next;
    }

    public void DriveHandshake(TimeSpan? maxVirtualTime = null)
    {
        if (ClientOrNull is null) Connect();
        Drive(
            () => HasServer && Client.State == ConnectionState.Connected && Server.State == ConnectionState.Connected
                && ClientEvents.Any(e => e.Kind == ConnectionEventKind.HandshakeConfirmed),
            maxVirtualTime ?? TimeSpan.FromSeconds(10),
            "Handshake");
    }

    public string Describe()
    {
        string client = ClientOrNull is not { } c ? "no client" : $"client {c.State} {c.Error}";
        string server = HasServer ? $"server {Server.State} {Server.Error}" : "no server connection";
        return $"{client}; {server}; now {Now}";
    }

    /// <summary>Polls every connection for datagrams and events until quiet; the application hook runs in between.</summary>
    public void Flush()
    {
        for (int round = 0; round < 64; round++)
        {
            bool any = PollTransmits();
            any |= PollEvents();

            // Application calls (reads that free window, writes) are followed by a poll, as a driver must do.
            OnStep?.Invoke();
            any |= PollTransmits();
            if (!any) return;
        }
    }

    private bool PollTransmits()
    {
        bool any = false;
        if (ClientOrNull is { } client && ClientSends)
        {
            while (client.TryPollTransmit(Now, _buffer, out Transmit transmit))
            {
                any = true;
                ToServer.Send(Now, new SimulatedDatagram(_buffer.AsSpan(0, transmit.Length).ToArray(), ClientAddress, transmit.Destination, Now, transmit.ContainsClientHello));
            }
        }

        foreach (Connection server in ServerConnections)
        {
            while (server.TryPollTransmit(Now, _buffer, out Transmit transmit))
            {
                any = true;
                ToClient.Send(Now, new SimulatedDatagram(_buffer.AsSpan(0, transmit.Length).ToArray(), ServerAddress, transmit.Destination, Now, false));
            }
        }

        return any;
    }

    private bool PollEvents()
    {
        bool any = false;
        if (ClientOrNull is { } client)
        {
            while (client.TryPollEvent(out ConnectionEvent e))
            {
                any = true;
                ClientEvents.Add(e);
                OnEvent?.Invoke(client, e);
            }
        }

        foreach (Connection server in ServerConnections)
        {
            while (server.TryPollEvent(out ConnectionEvent e))
            {
                any = true;
                ServerEvents.Add(e);
                OnEvent?.Invoke(server, e);
            }
        }

        return any;
    }

    private void Deliver()
    {
        while (ToServer.TryReceive(Now, out SimulatedDatagram datagram))
        {
            byte[] payload = (byte[])datagram.Payload.Clone();
            EndpointReceiveResult result = ServerEndpoint.HandleDatagram(Now, datagram.Source, payload, EcnCodepoint.NotEct, _response, out int length);
            ServerResults.Add(result);
            if (result.Kind == EndpointReceiveKind.NewConnection) ServerConnections.Add(result.Connection!);
            if (result.Kind == EndpointReceiveKind.Response)
            {
                ToClient.Send(Now, new SimulatedDatagram(_response.AsSpan(0, length).ToArray(), ServerAddress, datagram.Source, Now, false));
            }
        }

        while (ToClient.TryReceive(Now, out SimulatedDatagram datagram))
        {
            // The client is only reachable at its current address (an old NAT binding is gone).
            if (!datagram.Destination.Equals(ClientAddress)) continue;
            byte[] payload = (byte[])datagram.Payload.Clone();
            EndpointReceiveResult result = ClientEndpoint.HandleDatagram(Now, datagram.Source, payload, EcnCodepoint.NotEct, _response, out int length);
            ClientResults.Add(result);
            if (result.Kind == EndpointReceiveKind.Response)
            {
                ToServer.Send(Now, new SimulatedDatagram(_response.AsSpan(0, length).ToArray(), ClientAddress, datagram.Source, Now, false));
            }
        }
    }

    public void Dispose()
    {
        ClientEndpoint.Dispose();
        ServerEndpoint.Dispose();
    }
}
