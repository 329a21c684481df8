using Atlas.Core.Bookings;
using Atlas.Core.Drivers;
using Atlas.Core.Payments;
using Atlas.Core.Rides;
using Atlas.Functions.Hosting;
using Atlas.Functions.Http;
using Atlas.Functions.Lifecycles;
using Atlas.Functions.Notifications;

namespace Atlas.Functions.Bookings;

/// <summary>Bookings, their bid windows, and the driver instances that keep one ride per driver.</summary>
public static class BookingServices
{
    public static IServiceCollection AddBookings(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(BookingOptions.Section);
        services.Configure<BookingOptions>(section);
        var options = new BookingOptions();
        section.Bind(options);

        services.AddSingleton<IdempotencyKeys>();
        services.AddSingleton<BookingIndex>();
        services.AddTables(BookingIndex.Table);
        services.AddLifecycle(new BookingDecider(options.ToRules()));
        services.AddStateMetrics<Booking, BookingCommand, BookingMetrics>();
        services.AddLifecycle(new DriverDutyDecider());
        services.AddEffect<InviteDrivers, DriverInvitations>("booking.invite-drivers", NotificationServices.Queue);
        services.AddEffect<AwardRide, RideAwards>("booking.award-ride");
        services.AddEffect<RecallRide, RideRecalls>("booking.recall-ride");

        // One journey follows a booking, its rides and their escrows: it keeps their timers and makes their Stripe calls.
        services.AddFlow<Booking>(BookingDecider.Name, BookingJourney.Name, BookingJourney.InstanceId, b => b.IsOver, Awaited, BookingJourney.Settings);
        services.AddFlow<Ride>(RideDecider.Name, BookingJourney.Name, BookingJourney.InstanceId, r => r.IsOver, settings: BookingJourney.Settings);
        services.AddFlow<Escrow>(EscrowDecider.Name, BookingJourney.Name, BookingJourney.InstanceId, e => e.IsOver, settings: BookingJourney.Settings);
        return services;
    }

    /// <summary>A booking with a driver assigned: its journey ends only once that ride and its money are over too.</summary>
    private static IReadOnlyList<string> Awaited(Booking booking) => booking.Assignment is { } assigned
        ? [FlowFact.KeyOf(RideDecider.Name, assigned.RideId), FlowFact.KeyOf(EscrowDecider.Name, assigned.RideId)]
        : [];
}
