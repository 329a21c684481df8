using Atlas.Core.Bookings;
using Atlas.Core.Payments;
using Atlas.Functions.Lifecycles;

namespace Atlas.Functions.Payments;

/// <summary>Carries out <see cref="PaymentFailed"/>: the booking hears that the card was declined for its ride.</summary>
public sealed class PaymentFailures(Lifecycle<Booking, BookingCommand> bookings) : IEffectHandler<PaymentFailed>
{
    public async Task<object?> HandleAsync(PaymentFailed effect, EffectContext context, CancellationToken ct)
    {
        await bookings.ExecuteOrRetryAsync(effect.BookingId, new RidePaymentDeclined(effect.RideId), ct);
        return null;
    }
}
