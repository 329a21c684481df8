using Atlas.Core.Bookings;
using Atlas.Core.Drivers;
using Atlas.Functions.Hosting;
using Atlas.Functions.Http;
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
        return services;
    }
}
