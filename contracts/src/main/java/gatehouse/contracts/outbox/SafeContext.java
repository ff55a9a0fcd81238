package gatehouse.contracts.outbox;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * Runs database work from a timer: Hibernate Reactive wants a safe duplicated Vert.x context, and a
 * timer fires on the bare event loop.
 */
public final class SafeContext {

    private SafeContext() {}

    /** The work's result, the work run on a new safe duplicated context. */
    public static <T> Uni<T> run(Vertx vertx, Supplier<Uni<T>> work) {
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        return Uni.createFrom()
                .emitter(
                        emitter ->
                                context.runOnContext(
                                        ignored ->
                                                work.get()
                                                        .subscribe()
                                                        .with(emitter::complete, emitter::fail)));
    }
}
