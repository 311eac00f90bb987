using System.Net;
using AwgProxy.Socks5.Protocol;
using Microsoft.Extensions.Logging;

namespace AwgProxy.Socks5.Tests.Infrastructure;

/// <summary>A started <see cref="Socks5Server"/> on 127.0.0.1 with two users, capturing logs and metrics.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    public const string UserName = "alice";
    public const string Password = "correct horse battery staple";
    public const string OtherUserName = "bob";
    public const string OtherPassword = "hunter2-but-longer";

    private readonly ILoggerFactory _loggerFactory;

    private TestServer(Socks5Server server, TestMeterFactory meterFactory, CapturingLoggerProvider logs, ILoggerFactory loggerFactory)
    {
        Server = server;
        MeterFactory = meterFactory;
        Logs = logs;
        _loggerFactory = loggerFactory;
    }

    public Socks5Server Server { get; }

    public TestMeterFactory MeterFactory { get; }

    public CapturingLoggerProvider Logs { get; }

    public IPEndPoint EndPoint => Server.LocalEndPoints[0];

    public static Socks5ServerOptions CreateOptions()
    {
        var options = new Socks5ServerOptions();
        options.ListenEndPoints.Add("127.0.0.1:0");
        options.Users.Add(new Socks5User { UserName = UserName, Password = Password });
        options.Users.Add(new Socks5User { UserName = OtherUserName, Password = OtherPassword });
        return options;
    }

    public static async Task<TestServer> StartAsync(
        ISocks5ConnectHandler handler,
        Action<Socks5ServerOptions>? configure = null,
        ISocks5UdpAssociateHandler? udpHandler = null,
        TimeProvider? timeProvider = null)
    {
        Socks5ServerOptions options = CreateOptions();
        configure?.Invoke(options);
        var meterFactory = new TestMeterFactory();
        var logs = new CapturingLoggerProvider();
        ILoggerFactory loggerFactory = LoggerFactory.Create(builder => builder.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        var server = new Socks5Server(
            options, handler, udpHandler, loggerFactory.CreateLogger<Socks5Server>(), new Socks5Metrics(meterFactory), timeProvider);
        await server.StartAsync();
        return new TestServer(server, meterFactory, logs, loggerFactory);
    }

    public static Socks5Address Loopback => Socks5Address.FromIPAddress(IPAddress.Loopback);

    /// <summary>Waits, bounded, until every session has ended (sessions end asynchronously after the client's close).</summary>
    public async Task WaitForNoSessionsAsync()
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Operation);
        while (Server.ActiveSessionCount != 0)
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync().AsTask().WaitAsync(TestTimeouts.Operation);
        MeterFactory.Dispose();
        _loggerFactory.Dispose();
    }
}
