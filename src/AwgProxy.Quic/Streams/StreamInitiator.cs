namespace AwgProxy.Quic.Streams;

/// <summary>
/// RFC 9000 section 2.1: which endpoint opened a stream, the least significant bit of the stream ID
/// (0 = client, 1 = server). Also names an endpoint's own role when asking whether a stream is local.
/// </summary>
public enum StreamInitiator : byte
{
    Client = 0,
    Server = 1,
}
