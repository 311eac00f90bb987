namespace AwgProxy.Quic.Transport;

/// <summary>Default values of the transport's options, in one place.</summary>
internal static class QuicDefaults
{
    public const int InitialConnectionWindow = 16 << 20;
    public const int InitialStreamWindow = 4 << 20;
    public const int MaxConnectionWindow = 64 << 20;
    public const int MaxStreamWindow = 16 << 20;
    public const int StreamSendBufferSize = 1 << 20;
    public const int MaxInboundStreams = 100;
    public const int MaxDatagramSize = 1452;
    public const int MaxDatagramFrameSize = 65535;
    public const int DatagramQueueLength = 64;
    public const int ListenBacklog = 512;
    public const int MaxConnections = 10_000;

    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan DeadPathTimeout = TimeSpan.FromSeconds(10);
}
