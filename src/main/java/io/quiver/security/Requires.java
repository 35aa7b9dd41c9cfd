package io.quiver.security;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.enterprise.util.Nonbinding;
import jakarta.interceptor.InterceptorBinding;

/**
 * The role an API operation needs; checked by {@link AccessCheck} before the operation runs. Every GraphQL operation
 * and REST endpoint declares one (a test enforces it).
 */
@InterceptorBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.METHOD, ElementType.TYPE })
public @interface Requires {

    @Nonbinding
    Role value();
}
