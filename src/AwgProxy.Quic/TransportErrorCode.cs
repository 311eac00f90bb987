namespace AwgProxy.Quic;

/// <summary>RFC 9000 section 20.1, Transport Error Codes.</summary>
public enum TransportErrorCode : ulong
{
    NO_ERROR = 0x00,
    INTERNAL_ERROR = 0x01,
    CONNECTION_REFUSED = 0x02,
    FLOW_CONTROL_ERROR = 0x03,
    STREAM_LIMIT_ERROR = 0x04,
    STREAM_STATE_ERROR = 0x05,
    FINAL_SIZE_ERROR = 0x06,
    FRAME_ENCODING_ERROR = 0x07,
    TRANSPORT_PARAMETER_ERROR = 0x08,
    CONNECTION_ID_LIMIT_ERROR = 0x09,
    PROTOCOL_VIOLATION = 0x0a,
    INVALID_TOKEN = 0x0b,
    APPLICATION_ERROR = 0x0c,
    CRYPTO_BUFFER_EXCEEDED = 0x0d,
    KEY_UPDATE_ERROR = 0x0e,
    AEAD_LIMIT_REACHED = 0x0f,
    NO_VIABLE_PATH = 0x10,

    /// <summary>CRYPTO_ERROR (0x0100-0x01ff): 0x0100 plus the TLS alert description (RFC 9001 section 4.8).</summary>
    CRYPTO_ERROR = 0x0100,
}

public static class TransportErrorCodeExtensions
{
    /// <summary>The CRYPTO_ERROR code that carries TLS alert <paramref name="alertDescription"/>.</summary>
    public static TransportErrorCode FromTlsAlert(byte alertDescription) => TransportErrorCode.CRYPTO_ERROR + alertDescription;

    public static bool IsCryptoError(this TransportErrorCode code) => (ulong)code is >= 0x0100 and <= 0x01ff;
}
