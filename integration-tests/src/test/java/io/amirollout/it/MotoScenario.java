package io.amirollout.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Base of every scenario: a fresh front in front of moto per class, and a clean moto and front
 * before each test. Functions are built the production way (config from an Env, clients from
 * AwsClients) and reach the front through the SDK's aws.endpointUrl.
 */
public abstract class MotoScenario {

    /** Saturday 2026-11-21 10:30 UTC: a fixed "now" for the functions' clocks. */
    public static final Instant NOW = Instant.parse("2026-11-21T10:30:00Z");
    public static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    protected static AwsFront front;

    @BeforeAll
    static void startFront() {
        front = AwsFront.start().routeFunctionsHere();
    }

    @AfterAll
    static void stopFront() {
        if (front != null) {
            front.close();
        }
    }

    @BeforeEach
    void cleanSlate() {
        Moto.reset();
        front.reset();
    }
}
