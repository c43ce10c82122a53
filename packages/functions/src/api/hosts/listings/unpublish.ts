import { Listing } from "@localstays/core";
import { listingRoute } from "./listing-route.js";

export const handler = listingRoute(Listing.unpublish);
