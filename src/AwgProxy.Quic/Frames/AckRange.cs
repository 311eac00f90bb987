namespace AwgProxy.Quic.Frames;

/// <summary>A contiguous range of acknowledged packet numbers, both ends included.</summary>
public readonly record struct AckRange(ulong Smallest, ulong Largest)
{
    /// <summary>How many packet numbers the range holds.</summary>
    public ulong Count => Largest - Smallest + 1;

    public bool Contains(ulong packetNumber) => packetNumber >= Smallest && packetNumber <= Largest;
}
