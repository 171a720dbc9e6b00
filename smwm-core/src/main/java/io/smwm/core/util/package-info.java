/**
 * Seeds derived by name, the user-error exception and the project version. Depends on nothing.
 */
package io.smwm.core.util;
