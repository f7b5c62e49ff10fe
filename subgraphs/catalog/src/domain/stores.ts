import { badInput } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type StoreView, storeView } from '../entities/views.js';

const EARTH_RADIUS_KM = 6371;
export const MAX_RADIUS_KM = 500;

/** The brand's stores within `radiusKm`, nearest first: a latitude band narrows by index, haversine decides. */
export async function storesNear(
  em: EntityManager,
  storefrontId: string,
  args: { latitude: number; longitude: number; radiusKm: number; first: number },
): Promise<StoreView[]> {
  const { latitude, longitude, radiusKm, first } = args;
  if (!(latitude >= -90 && latitude <= 90)) throw badInput('latitude must be between -90 and 90', 'latitude');
  if (!(longitude >= -180 && longitude <= 180)) throw badInput('longitude must be between -180 and 180', 'longitude');
  if (!(radiusKm > 0 && radiusKm <= MAX_RADIUS_KM)) throw badInput(`radiusKm must be in (0, ${MAX_RADIUS_KM}]`, 'radiusKm');
  if (!(Number.isInteger(first) && first >= 0 && first <= 100)) throw badInput('first must be between 0 and 100', 'first');
  const band = radiusKm / 111.2;
  const rows = await em.execute(
    `select * from (
       select s.*, ${EARTH_RADIUS_KM} * 2 * asin(sqrt(power(sin(radians(s.latitude - ?) / 2), 2)
         + cos(radians(?)) * cos(radians(s.latitude)) * power(sin(radians(s.longitude - ?) / 2), 2))) as distance_km
       from "catalog"."store" s where s.storefront_id = ? and s.latitude between ? and ?
     ) near where distance_km <= ? order by distance_km, id limit ?`,
    [latitude, latitude, longitude, storefrontId, latitude - band, latitude + band, radiusKm, first],
  );
  return rows.map(storeView);
}
