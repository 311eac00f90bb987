using AwgProxy.Quic.Coding;

namespace AwgProxy.Quic.Frames;

/// <summary>
/// <c>frame.Write(ref writer)</c> for the frames that reference caller bytes. An instance method could not
/// promise the compiler that the frame's spans do not flow into the writer, so writing a frame over a
/// stackalloc'd buffer into an outer writer would not compile; a <c>scoped</c> receiver can make that promise.
/// </summary>
public static class FrameWriterExtensions
{
    public static void Write(this scoped AckFrame frame, ref SpanWriter writer) => AckFrame.Write(ref writer, frame);

    public static void Write(this scoped StreamFrame frame, ref SpanWriter writer) => StreamFrame.Write(ref writer, frame);

    public static void Write(this scoped CryptoFrame frame, ref SpanWriter writer) => CryptoFrame.Write(ref writer, frame);

    public static void Write(this scoped NewTokenFrame frame, ref SpanWriter writer) => NewTokenFrame.Write(ref writer, frame);

    public static void Write(this scoped ConnectionCloseFrame frame, ref SpanWriter writer) => ConnectionCloseFrame.Write(ref writer, frame);

    public static void Write(this scoped DatagramFrame frame, ref SpanWriter writer) => DatagramFrame.Write(ref writer, frame);
}
