using Atlas.Core.Bookings;
using Atlas.Core.Payments;
using Atlas.Functions.Lifecycles;

namespace Atlas.Functions.Payments;

/// <summary>Carries out <see cref="PaymentFailed"/>: the booking hears that the card was declined for its ride.</summary>
public sealed class PaymentFailures(Lifecycle<Booking, BookingCommand> bookings) : IEffectHandler<PaymentFailed>
{
    public async Task<object?> HandleAsync(PaymentFailed effect, EffectContext context, CancellationToken ct)
    {
        var told = await bookings.ExecuteAsync(effect.BookingId, new RidePaymentDeclined(effect.RideId), ct);
        return told.Status == CommandStatus.Contended
            ? throw new InvalidOperationException($"Telling booking {effect.BookingId} of the declined card lost every race; retrying.")
            : null;
    }
}
