using System.Net;
using AwgProxy.Quic.Transport.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace AwgProxy.Quic.Transport.Tests.Observability;

public class HandshakeLogTests
{
    [Fact]
    public async Task HandshakeCompleted_NamesCipherAndGroup_AndNoInformationMessageCarriesThePeerAddress()
    {
        var logs = new FakeLogCollector();
        using var loggerFactory = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Debug).AddProvider(new FakeLoggerProvider(logs)));
        QuicListenerOptions listenerOptions = TestPeers.Listener();
        listenerOptions.LoggerFactory = loggerFactory;
        ConnectedPair pair = await ConnectedPair.CreateAsync(listenerOptions, null, o => o.LoggerFactory = loggerFactory);
        string clientPort = ((IPEndPoint)pair.Client.LocalEndPoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using (pair)
        {
            await pair.Client.CloseAsync(0);
            await pair.Server.Closed.WaitAsync(TestPeers.Bound);
        }

        IReadOnlyList<FakeLogRecord> records = logs.GetSnapshot();
        FakeLogRecord[] completed = records.Where(r => r.Id.Id == 4).ToArray();
        Assert.Equal(2, completed.Length);
        foreach (FakeLogRecord record in completed)
        {
            Assert.Contains($"cipher {pair.Client.NegotiatedCipherSuite}", record.Message, StringComparison.Ordinal);
            Assert.Contains($"group {pair.Client.NegotiatedKeyExchangeGroup}", record.Message, StringComparison.Ordinal);
            Assert.Matches("cipher TLS_[A-Z0-9_]+, group (X25519|Secp256r1)", record.Message);
        }

        // The client's address (127.0.0.1:port) appears only at Debug (ConnectionStarted on the server).
        Assert.Contains(records, r => r.Level == LogLevel.Debug && r.Message.Contains($"127.0.0.1:{clientPort}", StringComparison.Ordinal));
        Assert.DoesNotContain(records, r => r.Level >= LogLevel.Information && r.Message.Contains("127.0.0.1:" + clientPort, StringComparison.Ordinal));
        Assert.DoesNotContain(records, r => r.Level >= LogLevel.Information && r.Id.Id is 4 or 5 or 6 && r.Message.Contains("127.0.0.1", StringComparison.Ordinal));
    }
}
