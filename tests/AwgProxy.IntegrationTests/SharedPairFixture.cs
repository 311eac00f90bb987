using AwgProxy.IntegrationTests.Support;

namespace AwgProxy.IntegrationTests;

/// <summary>
/// One server and one client (the example configs with fresh keys, loopback destinations allowed on the
/// server), a local web server with a 50 MiB blob and an echo server, shared by the tests that need no
/// isolation.
/// </summary>
public sealed class SharedPairFixture : IAsyncLifetime
{
    public const int BlobSize = 50 * 1024 * 1024;

    internal ProxyPair Pair { get; private set; } = null!;

    internal LocalHttpServer Http { get; private set; } = null!;

    internal EchoServer Echo { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Http = new LocalHttpServer(TestData.Bytes(BlobSize, seed: 50));
        Echo = new EchoServer();
        Pair = await ProxyPair.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Pair.DisposeAsync();
        await Http.DisposeAsync();
        await Echo.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class SharedPairCollection : ICollectionFixture<SharedPairFixture>
{
    public const string Name = "shared pair";
}
