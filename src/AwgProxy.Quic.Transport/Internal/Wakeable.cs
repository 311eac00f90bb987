namespace AwgProxy.Quic.Transport.Internal;

/// <summary>Something whose completion was decided under the driver's lock and must run after it is released.</summary>
internal abstract class Wakeable
{
    public abstract void Complete();
}
